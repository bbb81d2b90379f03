import { prisma } from "~/db.server";
import type { CustomerCsvInput } from "~/ltv/customer-csv";
import { money } from "~/ltv/money";

export class UnknownShopError extends Error {
  override name = "UnknownShopError";
  constructor(readonly shop: string) {
    super(`Unknown shop: ${shop} — Tenure holds no record of it (check the domain, e.g. my-shop.myshopify.com)`);
  }
}

export async function assertKnownShop(shop: string): Promise<void> {
  const record = await prisma.shop.findUnique({ where: { domain: shop }, select: { domain: true } });
  if (!record) throw new UnknownShopError(shop);
}

/** Every customer's figures, in id order, read in keyset-paginated batches so memory stays flat. */
export async function* customerFigures(shop: string, batchSize = 5000): AsyncGenerator<CustomerCsvInput> {
  let after: bigint | undefined;
  for (;;) {
    const batch = await prisma.customer.findMany({
      where: { shopDomain: shop, ...(after === undefined ? {} : { id: { gt: after } }) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: {
        id: true,
        ordersCount: true,
        netRevenue: true,
        grossSales: true,
        refunds: true,
        firstOrderAt: true,
        lastOrderAt: true,
        averageOrderValue: true,
        purchaseFrequency: true,
        tenureDays: true,
        probabilityAlive: true,
        expectedPurchases12m: true,
        predictedClv12m: true,
        rfmGroup: true,
        valueTier: true,
        churnRisk: true,
      },
    });
    for (const row of batch) {
      yield {
        ...row,
        netRevenue: money(row.netRevenue.toString()),
        grossSales: money(row.grossSales.toString()),
        refunds: money(row.refunds.toString()),
        averageOrderValue: row.averageOrderValue === null ? null : money(row.averageOrderValue.toString()),
        predictedClv12m: row.predictedClv12m === null ? null : money(row.predictedClv12m.toString()),
      };
    }
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]?.id;
  }
}
