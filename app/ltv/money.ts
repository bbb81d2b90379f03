// Money is exact: decimal strings from Shopify become decimal.js values, summed without floats.
import Decimal from "decimal.js";

export { Decimal };
export type Money = Decimal;

export const ZERO: Money = new Decimal(0);

export function money(value: string | number | Decimal): Money {
  return new Decimal(value);
}

export function sumMoney(values: Iterable<Money>): Money {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/** A plain decimal with two places ("1234.50"), for CSV and JSON. Rounds half away from zero. */
export function formatAmount(value: Money): string {
  return value.toFixed(2, Decimal.ROUND_HALF_UP);
}
