-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "metafieldNamespace" TEXT,
ADD COLUMN     "reconciledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "bulkOperationId" TEXT,
ADD COLUMN     "importedOrders" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "linesCommitted" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updatedSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CustomerSync" (
    "shopDomain" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "highValueSince" TIMESTAMP(3),
    "highValueTag" TEXT,
    "metafieldsDigest" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerSync_pkey" PRIMARY KEY ("shopDomain","customerId")
);

-- CreateTable
CREATE TABLE "AdminWriteFailure" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "variables" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminWriteFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifySegment" (
    "shopDomain" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopifySegment_pkey" PRIMARY KEY ("shopDomain","sourceKey")
);

-- CreateIndex
CREATE INDEX "CustomerSync_shopDomain_highValueTag_idx" ON "CustomerSync"("shopDomain", "highValueTag");

-- CreateIndex
CREATE INDEX "AdminWriteFailure_shopDomain_createdAt_idx" ON "AdminWriteFailure"("shopDomain", "createdAt");

-- AddForeignKey
ALTER TABLE "CustomerSync" ADD CONSTRAINT "CustomerSync_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AdminWriteFailure" ADD CONSTRAINT "AdminWriteFailure_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifySegment" ADD CONSTRAINT "ShopifySegment_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

