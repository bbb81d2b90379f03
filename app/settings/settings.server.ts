// Reading and saving a shop's settings. Saving queues a rescore that applies them.
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { requestRefit } from "~/jobs/shop-tasks.server";
import { DEFAULT_SETTINGS, HIGH_VALUE_BASES, HIGH_VALUE_RULES, type ShopSettingsValues } from "./settings";

const oneOf = <T extends string>(values: readonly T[], value: string, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);

export async function getShopSettings(shop: string): Promise<ShopSettingsValues> {
  const row = await prisma.shopSettings.findUnique({ where: { shopDomain: shop } });
  if (!row) return DEFAULT_SETTINGS;
  return {
    grossMarginPercent: row.grossMarginPercent.toNumber(),
    monthlyDiscountRatePercent: row.monthlyDiscountRatePercent.toNumber(),
    predictionHorizonMonths: row.predictionHorizonMonths,
    acquisitionCost: row.acquisitionCost?.toFixed(2) ?? null,
    highValueRule: oneOf(HIGH_VALUE_RULES, row.highValueRule, DEFAULT_SETTINGS.highValueRule),
    highValueThreshold: row.highValueThreshold.toString(),
    highValueBasis: oneOf(HIGH_VALUE_BASES, row.highValueBasis, DEFAULT_SETTINGS.highValueBasis),
    tagName: row.tagName,
    autoTagging: row.autoTagging,
    writeMetafields: row.writeMetafields,
  };
}

export async function saveShopSettings(shop: string, values: ShopSettingsValues): Promise<void> {
  const data = {
    grossMarginPercent: new Prisma.Decimal(values.grossMarginPercent),
    monthlyDiscountRatePercent: new Prisma.Decimal(values.monthlyDiscountRatePercent),
    predictionHorizonMonths: values.predictionHorizonMonths,
    acquisitionCost: values.acquisitionCost === null ? null : new Prisma.Decimal(values.acquisitionCost),
    highValueRule: values.highValueRule,
    highValueThreshold: new Prisma.Decimal(values.highValueThreshold),
    highValueBasis: values.highValueBasis,
    tagName: values.tagName,
    autoTagging: values.autoTagging,
    writeMetafields: values.writeMetafields,
  };
  await prisma.shopSettings.upsert({ where: { shopDomain: shop }, create: { shopDomain: shop, ...data }, update: data });
  await requestRefit({ shop, trigger: "settings" });
}
