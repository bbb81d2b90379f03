-- Line items become part of their order's row (docs/decisions/0013): a version brings exactly its own
-- lines, and an import writes one row per order instead of four.
-- json, not jsonb: kept as the text written (an import writes a million of them; jsonb's parse costs
-- ~3x json's validation), and read whole or through json_to_recordset.
ALTER TABLE "Order" ADD COLUMN "lineItems" JSON NOT NULL DEFAULT '[]';

UPDATE "Order" o SET "lineItems" = l.items
FROM (
  SELECT "shopDomain", "orderId",
         json_agg(json_build_object('id', "id"::text, 'productId', "productId"::text, 'variantId', "variantId"::text,
                                    'sku', "sku", 'title', "title", 'quantity', "quantity", 'amount', "amount"::text) ORDER BY "id") AS items
  FROM "LineItem" GROUP BY "shopDomain", "orderId"
) l
WHERE o."shopDomain" = l."shopDomain" AND o."id" = l."orderId";

DROP TABLE "LineItem";

-- Profiles an import's batches brought, appended in file order ("seq"), no key checked: the import's
-- final pass folds each customer's into one and writes it into "Customer" with the figures. No
-- foreign key (a key check per appended row is what this table avoids): shop/redact deletes its rows.
CREATE TABLE "ImportProfile" (
    "seq" BIGSERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "profileUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "ImportProfile_pkey" PRIMARY KEY ("seq")
);

CREATE INDEX "ImportProfile_shopDomain_id_idx" ON "ImportProfile"("shopDomain", "id");
