// The figures the admin's customer block shows for one customer of the shop, built from the same
// summary as the customer page (readCustomerSummary): historical LTV, the predictions while the
// shop's models are current, RFM group, value tier and the expected next order.
import { readCustomerSummary } from "~/customers/customer-detail.server";
import type { Explanation } from "~/customers/explanation";
import { prisma } from "~/db.server";
import { formatAmount, money } from "~/ltv/money";
import { gid } from "~/shopify/admin-operations";
import { parseCustomerId } from "./customer-id";
import type { CustomerBlockPredictions, CustomerBlockResponse } from "./response";

export type CustomerBlockErrorCode = "invalid_customer_id" | "customer_not_found";

export class CustomerBlockError extends Error {
  constructor(
    readonly code: CustomerBlockErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CustomerBlockError";
  }
}

const amount = (value: string) => formatAmount(money(value));

function predictionsFrom(explanation: Explanation): CustomerBlockPredictions {
  switch (explanation.kind) {
    case "prospect":
      return { status: "prospect" };
    case "pending":
      return { status: "pending", fittedAt: explanation.fittedAt };
    case "unavailable":
      return { status: "unavailable", reason: explanation.status.state === "notFitted" ? "notFitted" : explanation.status.reason };
    case "singlePurchase":
    case "repeat":
      return {
        status: "available",
        horizonMonths: explanation.horizonMonths,
        predictedClv: amount(explanation.predictedClv),
        probabilityAlive: explanation.probabilityAlive,
        singlePurchaseDay: explanation.kind === "singlePurchase",
      };
  }
}

/**
 * One customer of `shop`, by numeric id or Customer GID. Throws CustomerBlockError: `invalid_customer_id`
 * for anything that is not a customer id, `customer_not_found` when the shop has no such customer —
 * another shop's customer included, since the lookup is keyed by (shop, id).
 */
export async function readCustomerBlock({ shop, customerId, now = new Date() }: { shop: string; customerId: string; now?: Date }): Promise<CustomerBlockResponse> {
  const id = parseCustomerId(customerId);
  if (id === null) throw new CustomerBlockError("invalid_customer_id", "Expected a numeric Shopify customer id or a gid://shopify/Customer/<id> GID.");
  const [summary, shopRecord] = await Promise.all([
    readCustomerSummary(shop, id, now),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currency: true } }),
  ]);
  if (!summary) throw new CustomerBlockError("customer_not_found", "This shop has no customer with that id in Tenure.");
  const { explanation, figures, scores } = summary;
  const predictions = predictionsFrom(explanation);
  return {
    customer: { id: summary.id, gid: gid("Customer", summary.id), appPath: `/app/customers/${summary.id}` },
    currency: shopRecord?.currency ?? null,
    historicalLtv: amount(figures.netRevenue),
    ordersCount: figures.ordersCount,
    lastOrderAt: figures.lastOrderAt,
    scored: scores.scoredAt !== null,
    rfmGroup: scores.rfmGroup,
    valueTier: scores.valueTier,
    predictions,
    // The explanation carries predictions only from the shop's current models, as the customer page shows them.
    expectedNextOrder:
      explanation.kind === "singlePurchase" || explanation.kind === "repeat"
        ? {
            expectedOrders: explanation.expectedPurchases,
            withinMonths: explanation.horizonMonths,
            expectedOrderValue: scores.expectedOrderValue === null ? null : amount(scores.expectedOrderValue),
          }
        : null,
  };
}
