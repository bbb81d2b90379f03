import { describe, expect, it } from "vitest";
import { money } from "~/ltv/money";
import type { LineItemFacts } from "~/ltv/order-facts";
import { lineItemsJson, storedLineItems, toStoredLineItem } from "./line-items";

const line = (overrides: Partial<LineItemFacts>): LineItemFacts => ({
  id: 1n,
  productId: 2n,
  variantId: 3n,
  sku: "SKU-1",
  title: "Ceramic mug",
  quantity: 1,
  amount: money("12.50"),
  ...overrides,
});

describe("an order's stored line items", () => {
  it("are JSON.stringify's text, whatever the titles hold, with ids beyond 2^53 and amounts exact", () => {
    const cases: LineItemFacts[][] = [
      [],
      [line({})],
      [
        line({ id: 9_223_372_036_854_775_807n, productId: null, variantId: null, sku: null, title: 'Tea "Earl Grey"\\ 100 g\n\ttin', quantity: 3, amount: money("-0.0001") }),
        line({ id: 5n, title: "Café ☕ — 𝄞 \u0000\u001f\u2028", amount: money("123456789012345.6789") }),
      ],
    ];
    for (const lines of cases) {
      const text = lineItemsJson(lines);
      expect(text).toBe(JSON.stringify(lines.map(toStoredLineItem)));
      expect(storedLineItems(JSON.parse(text))).toEqual(lines.map(toStoredLineItem));
    }
    expect(JSON.parse(lineItemsJson([line({ id: 9_223_372_036_854_775_807n })]))[0].id).toBe("9223372036854775807");
  });
});
