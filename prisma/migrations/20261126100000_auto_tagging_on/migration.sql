-- Auto-tagging is on unless the merchant turns it off (docs/decisions/0011). Existing rows keep the
-- value they hold: a merchant may have switched it off on purpose.
ALTER TABLE "ShopSettings" ALTER COLUMN "autoTagging" SET DEFAULT true;
