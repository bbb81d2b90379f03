
-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT,
    "installedAt" TIMESTAMP(3),
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "Order" (
    "shopDomain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "customerId" BIGINT,
    "name" TEXT,
    "currency" TEXT NOT NULL,
    "presentmentCurrency" TEXT NOT NULL,
    "totalPrice" DECIMAL(20,4) NOT NULL,
    "presentmentTotalPrice" DECIMAL(20,4) NOT NULL,
    "subtotalPrice" DECIMAL(20,4) NOT NULL,
    "totalDiscounts" DECIMAL(20,4) NOT NULL,
    "totalTax" DECIMAL(20,4) NOT NULL,
    "totalShipping" DECIMAL(20,4) NOT NULL,
    "refunded" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "financialStatus" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "versionHash" TEXT NOT NULL,
    "sourceName" TEXT,
    "discountCodes" TEXT[],
    "deletedAt" TIMESTAMP(3),
    "storedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shopDomain","id")
);

-- CreateTable
CREATE TABLE "LineItem" (
    "shopDomain" TEXT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "id" BIGINT NOT NULL,
    "productId" BIGINT,
    "variantId" BIGINT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "LineItem_pkey" PRIMARY KEY ("shopDomain","orderId","id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "shopDomain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "transactionsAmount" DECIMAL(20,4) NOT NULL,
    "adjustmentsAmount" DECIMAL(20,4) NOT NULL,
    "storedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("shopDomain","id")
);

-- CreateTable
CREATE TABLE "DeletedOrder" (
    "shopDomain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeletedOrder_pkey" PRIMARY KEY ("shopDomain","id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "shopDomain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "profileUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "grossSales" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "refunds" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "netRevenue" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "averageOrderValue" DECIMAL(20,4),
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "tenureDays" DOUBLE PRECISION,
    "purchaseFrequency" DOUBLE PRECISION,
    "figuresUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("shopDomain","id")
);

-- CreateTable
CREATE TABLE "FailedJob" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT,
    "jobId" TEXT,
    "reason" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "payload" JSONB,
    "rawBody" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FailedJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequestExport" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "dataRequestId" BIGINT,
    "export" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequestExport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BulkOperation" (
    "shopDomain" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "completedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BulkOperation_pkey" PRIMARY KEY ("shopDomain","id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Order_shopDomain_customerId_idx" ON "Order"("shopDomain", "customerId");

-- CreateIndex
CREATE INDEX "Order_shopDomain_processedAt_idx" ON "Order"("shopDomain", "processedAt");

-- CreateIndex
CREATE INDEX "LineItem_shopDomain_productId_idx" ON "LineItem"("shopDomain", "productId");

-- CreateIndex
CREATE INDEX "Refund_shopDomain_orderId_idx" ON "Refund"("shopDomain", "orderId");

-- CreateIndex
CREATE INDEX "Customer_shopDomain_netRevenue_idx" ON "Customer"("shopDomain", "netRevenue");

-- CreateIndex
CREATE INDEX "FailedJob_shopDomain_createdAt_idx" ON "FailedJob"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "DataRequestExport_shopDomain_customerId_idx" ON "DataRequestExport"("shopDomain", "customerId");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineItem" ADD CONSTRAINT "LineItem_shopDomain_orderId_fkey" FOREIGN KEY ("shopDomain", "orderId") REFERENCES "Order"("shopDomain", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeletedOrder" ADD CONSTRAINT "DeletedOrder_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FailedJob" ADD CONSTRAINT "FailedJob_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataRequestExport" ADD CONSTRAINT "DataRequestExport_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BulkOperation" ADD CONSTRAINT "BulkOperation_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

