-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "writeMetafields" BOOLEAN NOT NULL DEFAULT true;
