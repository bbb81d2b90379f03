// A shop's settings: what they mean, their defaults and how a submitted form is validated. Pure.
import { z } from "zod";

export const HIGH_VALUE_RULES = ["top_percent", "min_amount"] as const;
export const HIGH_VALUE_BASES = ["historical", "predicted"] as const;

export type ShopSettingsValues = {
  /** 0–100: share of revenue kept as margin; CLV is shown as margin when below 100. */
  grossMarginPercent: number;
  /** Monthly rate future value is discounted by, in percent (1 = 1 % a month). */
  monthlyDiscountRatePercent: number;
  predictionHorizonMonths: number;
  /** Acquisition cost per customer in the shop's currency (decimal string); null = not set. */
  acquisitionCost: string | null;
  highValueRule: (typeof HIGH_VALUE_RULES)[number];
  /** Percent of customers for top_percent; an amount in the shop's currency for min_amount. */
  highValueThreshold: string;
  highValueBasis: (typeof HIGH_VALUE_BASES)[number];
  tagName: string;
  autoTagging: boolean;
  /** Tenure's LTV metafields on Shopify customers; turning it off deletes them. */
  writeMetafields: boolean;
};

export const DEFAULT_SETTINGS: ShopSettingsValues = {
  grossMarginPercent: 100,
  monthlyDiscountRatePercent: 1,
  predictionHorizonMonths: 12,
  acquisitionCost: null,
  highValueRule: "top_percent",
  highValueThreshold: "5",
  highValueBasis: "predicted",
  tagName: "tenure-high-value",
  autoTagging: true,
  writeMetafields: true,
};

const decimalString = /^\d{1,14}(\.\d{1,4})?$/;

/**
 * The settings form. Messages are i18n keys in the `settings` namespace (errors.*), so the page
 * shows them in the merchant's language.
 */
export const ZSettingsForm = z
  .object({
    grossMarginPercent: z.coerce.number({ message: "errors.number" }).min(1, "errors.marginRange").max(100, "errors.marginRange"),
    monthlyDiscountRatePercent: z.coerce.number({ message: "errors.number" }).min(0, "errors.discountRange").max(10, "errors.discountRange"),
    predictionHorizonMonths: z.coerce.number({ message: "errors.number" }).int("errors.wholeMonths").min(1, "errors.horizonRange").max(60, "errors.horizonRange"),
    acquisitionCost: z
      .string()
      .trim()
      .transform((value) => (value === "" ? null : value.replace(",", ".")))
      .refine((value) => value === null || decimalString.test(value), "errors.amount"),
    highValueRule: z.enum(HIGH_VALUE_RULES, { message: "errors.choice" }),
    highValueThreshold: z
      .string()
      .trim()
      .transform((value) => value.replace(",", "."))
      .refine((value) => decimalString.test(value), "errors.amount"),
    highValueBasis: z.enum(HIGH_VALUE_BASES, { message: "errors.choice" }),
    tagName: z
      .string()
      .trim()
      .min(1, "errors.tagRequired")
      .max(40, "errors.tagLength")
      .refine((value) => !value.includes(","), "errors.tagComma"),
    autoTagging: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
    writeMetafields: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
  });

export type SettingsFieldErrors = Partial<Record<keyof ShopSettingsValues, string>>;

/** The threshold means a percentage or an amount depending on the rule; checked even when other fields fail. */
function thresholdError(rule: unknown, threshold: unknown): string | undefined {
  const value = Number(String(threshold ?? "").trim().replace(",", "."));
  if (!Number.isFinite(value)) return undefined; // the field's own check reports it
  if (rule === "top_percent") return value > 0 && value <= 50 ? undefined : "errors.topPercentRange";
  if (rule === "min_amount") return value > 0 ? undefined : "errors.amountPositive";
  return undefined;
}

export function parseSettingsForm(form: Record<string, unknown>): { ok: true; values: ShopSettingsValues } | { ok: false; errors: SettingsFieldErrors } {
  const result = ZSettingsForm.safeParse(form);
  const errors: SettingsFieldErrors = {};
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path[0] as keyof ShopSettingsValues | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  const threshold = thresholdError(form.highValueRule, form.highValueThreshold);
  if (threshold && !errors.highValueThreshold) errors.highValueThreshold = threshold;
  if (result.success && Object.keys(errors).length === 0) return { ok: true, values: result.data };
  return { ok: false, errors };
}
