-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "churnRisk" TEXT,
ADD COLUMN     "expectedOrderValue" DECIMAL(20,4),
ADD COLUMN     "expectedPurchases12m" DOUBLE PRECISION,
ADD COLUMN     "predictedClv12m" DECIMAL(20,4),
ADD COLUMN     "probabilityAlive" DOUBLE PRECISION,
ADD COLUMN     "rfmFrequency" INTEGER,
ADD COLUMN     "rfmGroup" TEXT,
ADD COLUMN     "rfmMonetary" INTEGER,
ADD COLUMN     "rfmRecency" INTEGER,
ADD COLUMN     "scoredAt" TIMESTAMP(3),
ADD COLUMN     "valueTier" TEXT;

-- CreateTable
CREATE TABLE "ModelFit" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "observationEnd" TIMESTAMP(3) NOT NULL,
    "horizonMonths" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "repeatCustomers" INTEGER NOT NULL,
    "converged" BOOLEAN NOT NULL,
    "insufficient" BOOLEAN NOT NULL,
    "reason" TEXT,
    "bgnbd" JSONB,
    "gammaGamma" JSONB,
    "logLikelihood" DOUBLE PRECISION,
    "holdout" JSONB,
    "formula" JSONB,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "ModelFit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelFit_shopDomain_fittedAt_idx" ON "ModelFit"("shopDomain", "fittedAt");

-- AddForeignKey
ALTER TABLE "ModelFit" ADD CONSTRAINT "ModelFit_shopDomain_fkey" FOREIGN KEY ("shopDomain") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

