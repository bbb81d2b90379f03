-- DropIndex
DROP INDEX "Customer_shopDomain_netRevenue_idx";

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shopDomain" TEXT NOT NULL,
    "grossMarginPercent" DECIMAL(5,2) NOT NULL DEFAULT 100,
    "monthlyDiscountRatePercent" DECIMAL(5,2) NOT NULL DEFAULT 1,
    "predictionHorizonMonths" INTEGER NOT NULL DEFAULT 12,
    "acquisitionCost" DECIMAL(20,4),
    "highValueRule" TEXT NOT NULL DEFAULT 'top_percent',
    "highValueThreshold" DECIMAL(20,4) NOT NULL DEFAULT 5,
    "highValueBasis" TEXT NOT NULL DEFAULT 'predicted',
    "tagName" TEXT NOT NULL DEFAULT 'tenure-high-value',
    "autoTagging" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "ShopReport" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "asOf" TIMESTAMP(3) NOT NULL,
    "modelFitId" INTEGER,
    "dashboard" JSONB NOT NULL,
    "segments" JSONB NOT NULL,
    "suggestions" JSONB NOT NULL,

    CONSTRAINT "ShopReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "expectedOrders" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuggestionMember" (
    "shopDomain" TEXT NOT NULL,
    "playbook" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "reportId" INTEGER NOT NULL,

    CONSTRAINT "SuggestionMember_pkey" PRIMARY KEY ("shopDomain","playbook","customerId")
);

-- CreateIndex
CREATE INDEX "ShopReport_shopDomain_computedAt_idx" ON "ShopReport"("shopDomain", "computedAt");

-- CreateIndex
CREATE INDEX "ImportRun_shopDomain_startedAt_idx" ON "ImportRun"("shopDomain", "startedAt");

-- CreateIndex
CREATE INDEX "Customer_ltv_keyset_idx" ON "Customer"("shopDomain", "netRevenue" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_clv_keyset_idx" ON "Customer"("shopDomain", "predictedClv12m" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_orders_keyset_idx" ON "Customer"("shopDomain", "ordersCount" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_last_order_keyset_idx" ON "Customer"("shopDomain", "lastOrderAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_alive_keyset_idx" ON "Customer"("shopDomain", "probabilityAlive" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_rfm_group_keyset_idx" ON "Customer"("shopDomain", "rfmGroup", "netRevenue" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Customer_value_tier_keyset_idx" ON "Customer"("shopDomain", "valueTier", "netRevenue" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopReport" ADD CONSTRAINT "ShopReport_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SuggestionMember" ADD CONSTRAINT "SuggestionMember_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;


-- Customer search (email, first and last name; any part of them). Prisma cannot express a trigram
-- expression index, so it lives here only; app/customers/list.server.ts queries the same expression.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Customer_search_trgm_idx" ON "Customer" USING gin (
  lower(coalesce("email", '') || ' ' || coalesce("firstName", '') || ' ' || coalesce("lastName", '')) gin_trgm_ops
);
