// Personal data handling: the compliance webhooks and customers/delete.
import { prisma } from "~/db.server";
import { storedLineItems } from "~/orders/line-items";
import { ensureShopExists } from "~/orders/store.server";

/** customers/redact: erase the customer's personal data for good; anonymous order figures remain. */
export async function redactCustomer(options: { shop: string; customerId: bigint }): Promise<void> {
  const { shop, customerId } = options;
  await ensureShopExists(shop);
  await prisma.$transaction(async (tx) => {
    // A row is kept (or created) with redactedAt so personal data arriving later is never stored again.
    await tx.$executeRaw`
      INSERT INTO "Customer" ("shopDomain", "id", "redactedAt") VALUES (${shop}, ${customerId}, now())
      ON CONFLICT ("shopDomain", "id") DO UPDATE SET
        "email" = NULL, "firstName" = NULL, "lastName" = NULL, "redactedAt" = COALESCE("Customer"."redactedAt", now())`;
    await tx.dataRequestExport.deleteMany({ where: { shopDomain: shop, customerId } });
    await tx.importProfile.deleteMany({ where: { shopDomain: shop, id: customerId } });
  });
}

/** customers/delete: the customer is gone from Shopify; drop personal data, keep anonymous figures. */
export async function forgetDeletedCustomer(options: { shop: string; customerId: bigint }): Promise<void> {
  const { shop, customerId } = options;
  await ensureShopExists(shop);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO "Customer" ("shopDomain", "id", "deletedAt") VALUES (${shop}, ${customerId}, now())
      ON CONFLICT ("shopDomain", "id") DO UPDATE SET
        "email" = NULL, "firstName" = NULL, "lastName" = NULL, "deletedAt" = COALESCE("Customer"."deletedAt", now())`;
    await tx.importProfile.deleteMany({ where: { shopDomain: shop, id: customerId } });
  });
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** Everything Tenure holds on one customer, as plain JSON. */
export async function collectCustomerData(options: { shop: string; customerId: bigint }) {
  const { shop, customerId } = options;
  const [customer, orders] = await Promise.all([
    prisma.customer.findUnique({ where: { shopDomain_id: { shopDomain: shop, id: customerId } } }),
    prisma.order.findMany({
      where: { shopDomain: shop, customerId },
      orderBy: { processedAt: "asc" },
    }),
  ]);
  const refunds = await prisma.refund.findMany({
    where: { shopDomain: shop, orderId: { in: orders.map((order) => order.id) } },
    orderBy: { processedAt: "asc" },
  });
  return {
    shop,
    customerId: customerId.toString(),
    generatedAt: new Date().toISOString(),
    customer: customer && {
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      ordersCount: customer.ordersCount,
      grossSales: text(customer.grossSales),
      refunds: text(customer.refunds),
      netRevenue: text(customer.netRevenue),
      firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
      lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
    },
    orders: orders.map((order) => ({
      id: order.id.toString(),
      name: order.name,
      currency: order.currency,
      totalPrice: text(order.totalPrice),
      financialStatus: order.financialStatus,
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      processedAt: order.processedAt.toISOString(),
      sourceName: order.sourceName,
      discountCodes: order.discountCodes,
      lineItems: storedLineItems(order.lineItems).map((line) => ({
        productId: line.productId,
        variantId: line.variantId,
        sku: line.sku,
        title: line.title,
        quantity: line.quantity,
        amount: line.amount,
      })),
    })),
    refunds: refunds.map((refund) => ({
      id: refund.id.toString(),
      orderId: refund.orderId.toString(),
      processedAt: refund.processedAt.toISOString(),
      amount: text(refund.transactionsAmount),
    })),
  };
}

/** customers/data_request: store the export for the merchant to send to the customer. */
export async function exportCustomerData(options: {
  shop: string;
  customerId: bigint;
  dataRequestId: bigint | null;
}): Promise<number> {
  const data = await collectCustomerData(options);
  await ensureShopExists(options.shop);
  const saved = await prisma.dataRequestExport.create({
    data: {
      shopDomain: options.shop,
      customerId: options.customerId,
      dataRequestId: options.dataRequestId,
      export: data,
    },
  });
  return saved.id;
}
