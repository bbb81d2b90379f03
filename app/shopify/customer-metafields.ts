// Tenure's app-owned customer metafields: their definitions and the values written for a customer.
// Pure (no Admin calls): the sync and its tests build on it.
import { createHash } from "node:crypto";
import { Decimal } from "~/ltv/money";
import type { MetafieldDefinitionInput, MetafieldsSetInput } from "./admin-operations";

/** `$app:` makes the namespace Tenure's own; Shopify answers with the resolved "app--<id>--tenure". */
export const APP_METAFIELD_NAMESPACE = "$app:tenure";

export const CUSTOMER_METAFIELD_KEYS = ["historical_ltv", "predicted_clv", "probability_alive", "rfm_group", "value_tier"] as const;
export type CustomerMetafieldKey = (typeof CUSTOMER_METAFIELD_KEYS)[number];

const TYPES: Record<CustomerMetafieldKey, "number_decimal" | "single_line_text_field"> = {
  historical_ltv: "number_decimal",
  predicted_clv: "number_decimal",
  probability_alive: "number_decimal",
  rfm_group: "single_line_text_field",
  value_tier: "single_line_text_field",
};

const NAMES: Record<CustomerMetafieldKey, { name: string; description: string }> = {
  historical_ltv: { name: "Historical LTV", description: "Net revenue from the customer so far (orders less refunds), in the shop's currency. Tenure." },
  predicted_clv: { name: "Predicted CLV", description: "Predicted customer lifetime value over the shop's prediction horizon, in the shop's currency. Tenure." },
  probability_alive: { name: "Probability active", description: "Chance (0–1) that the customer is still an active buyer. Tenure." },
  rfm_group: { name: "RFM group", description: "Recency-frequency-monetary group, e.g. champions, at_risk. Tenure." },
  value_tier: { name: "Value tier", description: "top1, top5, top20 or rest, by predicted (or historical) value. Tenure." },
};

/** The five definitions, readable by the merchant (segments can filter on them), written only by Tenure. */
export function customerMetafieldDefinitions(): MetafieldDefinitionInput[] {
  return CUSTOMER_METAFIELD_KEYS.map((key) => ({
    ...NAMES[key],
    namespace: APP_METAFIELD_NAMESPACE,
    key,
    type: TYPES[key],
    ownerType: "CUSTOMER",
    access: { admin: "MERCHANT_READ" },
  }));
}

/** Digits of a currency's minor unit (EUR 2, JPY 0), from the platform's ISO 4217 data. */
export function currencyDigits(currency: string | null): number {
  if (!currency) return 2;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An exact decimal amount rounded half away from zero to the currency's minor unit. */
export function roundMoney(amount: string, digits: number): string {
  return new Decimal(amount).toFixed(digits, Decimal.ROUND_HALF_UP);
}

export type CustomerMetafieldFigures = {
  /** NUMERIC as text, exact. */
  netRevenue: string;
  predictedClv: string | null;
  probabilityAlive: number | null;
  rfmGroup: string | null;
  valueTier: string | null;
};

/**
 * The values Tenure writes for a customer, as metafield strings. Money is rounded to the currency's
 * minor unit (and P(alive) to 2 places) so that tiny daily drifts of a prediction do not cause a
 * write. Missing figures (no predictions yet) are left out, not written as zero.
 */
export function customerMetafieldValues(figures: CustomerMetafieldFigures, currencyDigitCount: number): Partial<Record<CustomerMetafieldKey, string>> {
  const values: Partial<Record<CustomerMetafieldKey, string>> = {
    historical_ltv: roundMoney(figures.netRevenue, currencyDigitCount),
  };
  if (figures.predictedClv !== null) values.predicted_clv = roundMoney(figures.predictedClv, currencyDigitCount);
  if (figures.probabilityAlive !== null && Number.isFinite(figures.probabilityAlive)) {
    values.probability_alive = new Decimal(figures.probabilityAlive).toFixed(2, Decimal.ROUND_HALF_UP);
  }
  if (figures.rfmGroup) values.rfm_group = figures.rfmGroup;
  if (figures.valueTier) values.value_tier = figures.valueTier;
  return values;
}

/** What CustomerSync.metafieldsDigest stores: equal digests mean nothing to write. */
export function metafieldsDigest(values: Partial<Record<CustomerMetafieldKey, string>>): string {
  const canonical = CUSTOMER_METAFIELD_KEYS.map((key) => [key, values[key] ?? null]);
  return createHash("sha1").update(JSON.stringify(canonical)).digest("hex");
}

/** metafieldsSet inputs for one customer, in key order. */
export function metafieldsSetInputs(customerGid: string, values: Partial<Record<CustomerMetafieldKey, string>>): MetafieldsSetInput[] {
  return CUSTOMER_METAFIELD_KEYS.filter((key) => values[key] !== undefined).map((key) => ({
    ownerId: customerGid,
    namespace: APP_METAFIELD_NAMESPACE,
    key,
    type: TYPES[key],
    value: values[key] as string,
  }));
}
