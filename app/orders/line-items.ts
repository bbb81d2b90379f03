// An order's line items as stored in its row ("Order"."lineItems", json; docs/decisions/0013).
// Ids and amounts are strings: exact in JSON, in JavaScript and in PostgreSQL alike.
import type { LineItemFacts } from "~/ltv/order-facts";

export type StoredLineItem = {
  id: string;
  productId: string | null;
  variantId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  /** price × quantity − line discounts, shop money, a decimal string. */
  amount: string;
};

export function toStoredLineItem(line: LineItemFacts): StoredLineItem {
  return {
    id: line.id.toString(),
    productId: line.productId?.toString() ?? null,
    variantId: line.variantId?.toString() ?? null,
    sku: line.sku,
    title: line.title,
    quantity: line.quantity,
    amount: line.amount.toString(),
  };
}

const idText = (id: bigint | null) => (id === null ? "null" : `"${id.toString()}"`);
/** Whether JSON.stringify would escape something in this string: quotes, backslashes, control characters, surrogates. */
function needsJsonEscape(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}
const jsonString = (value: string | null) => (value === null ? "null" : needsJsonEscape(value) ? JSON.stringify(value) : `"${value}"`);

/**
 * The column's text for an order's line items: exactly JSON.stringify(lines.map(toStoredLineItem))
 * (a test holds it to that), written directly because an import does it a million times.
 */
export function lineItemsJson(lines: readonly LineItemFacts[]): string {
  let text = "[";
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (index > 0) text += ",";
    text +=
      `{"id":"${line.id.toString()}","productId":${idText(line.productId)},"variantId":${idText(line.variantId)},` +
      `"sku":${jsonString(line.sku)},"title":${jsonString(line.title)},"quantity":${JSON.stringify(line.quantity)},` +
      `"amount":"${line.amount.toString()}"}`;
  }
  return text + "]";
}

/** Reads the column as Prisma or pg return it; anything else is a bug, not data to guess at. */
export function storedLineItems(value: unknown): StoredLineItem[] {
  if (!Array.isArray(value)) throw new Error(`Order.lineItems is not an array: ${JSON.stringify(value)?.slice(0, 200)}`);
  return value as StoredLineItem[];
}
