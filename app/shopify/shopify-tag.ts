// A customer tag the merchant asks Tenure to write. Shopify splits tags on commas, and Tenure quotes
// tags in ShopifyQL (`customer_tags CONTAINS '…'`), so neither a comma nor a quote may be in one.
import { z } from "zod";

export const ZShopifyTag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((value) => !/[,'"\\]/.test(value));

/** A tag named after a Tenure segment or audience key: `tenure-champions`, `tenure-win-back`. */
export function defaultTagFor(key: string): string {
  return `tenure-${key.replace(/_/g, "-")}`.slice(0, 40);
}
