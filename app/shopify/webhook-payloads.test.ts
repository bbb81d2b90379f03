import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PayloadError, ZOrderWebhook, ZRefundWebhook, parsePayload, parseWebhookBody, toOrderFacts, toRefund } from "./webhook-payloads";

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/shopify/webhooks/${name}`, import.meta.url), "utf8");

describe("Shopify's sample order payload", () => {
  const order = toOrderFacts(parsePayload(ZOrderWebhook, parseWebhookBody(fixture("orders_create.json"))));

  it("keeps 18-digit ids exact, where JSON.parse would round them", () => {
    expect(order.id).toBe(820982911946154508n);
    expect(order.customerId).toBe(115310627314723954n);
    expect(String((JSON.parse(fixture("orders_create.json")) as { id: number }).id)).not.toBe("820982911946154508");
  });

  it("reads shop money, status and line items", () => {
    expect(order.totalPrice.toFixed(2)).toBe("404.95");
    expect(order.currency).toBe("USD");
    expect(order.test).toBe(true);
    expect(order.cancelledAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(order.lineItems.find((line) => line.sku === "SKU2006-001")?.amount.toFixed(2)).toBe("89.99");
  });
});

describe("Shopify's sample refund payload", () => {
  it("counts successful refund transactions only", () => {
    const refund = toRefund(parsePayload(ZRefundWebhook, parseWebhookBody(fixture("refunds_create.json"))));
    expect(refund.id).toBe(890088186047892319n);
    expect(refund.orderId).toBe(820982911946154508n);
    expect(refund.transactionsAmount.toFixed(2)).toBe("85.00");
  });
});

describe("payloads that can never be processed", () => {
  it("invalid JSON is a PayloadError", () => {
    expect(() => parseWebhookBody("{nope")).toThrow(PayloadError);
  });

  it("missing fields are named", () => {
    expect(() => parsePayload(ZOrderWebhook, { id: 1, currency: "EUR" })).toThrow(/created_at.*updated_at|total_price/);
  });

  it("an id beyond PostgreSQL's BIGINT is refused rather than stored wrongly", () => {
    expect(() => parsePayload(ZRefundWebhook, { id: 2n ** 64n, order_id: 1, created_at: "2026-01-01T00:00:00Z" })).toThrow(PayloadError);
  });
});
