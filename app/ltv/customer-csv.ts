// The customer export's CSV: one row per customer, money as plain decimals with two places, times in
// ISO-8601 UTC. No personal data: the customer is identified by Shopify's numeric id only.
import { daysSinceLastOrder } from "./customer-figures";
import { type Money, formatAmount } from "./money";

export const CUSTOMER_CSV_COLUMNS = [
  "customer_id",
  "orders_count",
  "net_revenue",
  "gross_sales",
  "refunds",
  "first_order_at",
  "last_order_at",
  "average_order_value",
  "purchase_frequency_per_year",
  "tenure_days",
  "days_since_last_order",
  "probability_alive",
  "expected_purchases_12m",
  "predicted_clv_12m",
  "rfm_group",
  "value_tier",
  "churn_risk",
] as const;

export type CustomerCsvInput = {
  id: bigint;
  ordersCount: number;
  netRevenue: Money;
  grossSales: Money;
  refunds: Money;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  averageOrderValue: Money | null;
  purchaseFrequency: number | null;
  tenureDays: number | null;
  /** From the shop's latest model fit; null before the first fit or when predictions are insufficient. */
  probabilityAlive: number | null;
  expectedPurchases12m: number | null;
  predictedClv12m: Money | null;
  rfmGroup: string | null;
  valueTier: string | null;
  churnRisk: string | null;
};

const number = (value: number | null, places: number) => (value === null ? "" : value.toFixed(places));

export function customerCsvRow(customer: CustomerCsvInput, now: Date): string {
  return [
    customer.id.toString(),
    String(customer.ordersCount),
    formatAmount(customer.netRevenue),
    formatAmount(customer.grossSales),
    formatAmount(customer.refunds),
    customer.firstOrderAt?.toISOString() ?? "",
    customer.lastOrderAt?.toISOString() ?? "",
    customer.averageOrderValue ? formatAmount(customer.averageOrderValue) : "",
    number(customer.purchaseFrequency, 4),
    number(customer.tenureDays, 2),
    number(daysSinceLastOrder(customer.lastOrderAt, now), 0),
    number(customer.probabilityAlive, 4),
    number(customer.expectedPurchases12m, 4),
    customer.predictedClv12m ? formatAmount(customer.predictedClv12m) : "",
    customer.rfmGroup ?? "",
    customer.valueTier ?? "",
    customer.churnRisk ?? "",
  ].join(",");
}
