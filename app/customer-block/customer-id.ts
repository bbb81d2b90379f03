// Which customer the admin's block asks about: Shopify sends the block a Customer GID; people and
// scripts use the numeric id. Pure, so it is tested on its own.

/** Shopify ids are positive and fit PostgreSQL's BIGINT, where Tenure stores them. */
const MAX_ID = 9_223_372_036_854_775_807n;
const NUMERIC = /^\d{1,19}$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,19})$/;

/** The numeric customer id from "123" or "gid://shopify/Customer/123"; null for anything else. */
export function parseCustomerId(value: string): bigint | null {
  const digits = NUMERIC.test(value) ? value : CUSTOMER_GID.exec(value)?.[1];
  if (digits === undefined) return null;
  const id = BigInt(digits);
  return id > 0n && id <= MAX_ID ? id : null;
}
