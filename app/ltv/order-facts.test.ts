import { describe, expect, it } from "vitest";
import { money } from "./money";
import { isNewerVersion, moneyRefunded, orderCounts } from "./order-facts";

describe("which version of an order wins", () => {
  const at = (iso: string, versionHash = "a") => ({ updatedAt: new Date(iso), versionHash });

  it("the newest updated_at wins whatever arrives first", () => {
    expect(isNewerVersion(null, at("2026-01-01T00:00:00Z"))).toBe(true);
    expect(isNewerVersion(at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z"))).toBe(true);
    expect(isNewerVersion(at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z"))).toBe(false);
  });

  it("the same version delivered again changes nothing; a tie is broken the same way every time", () => {
    expect(isNewerVersion(at("2026-01-01T00:00:00Z", "b"), at("2026-01-01T00:00:00Z", "b"))).toBe(false);
    expect(isNewerVersion(at("2026-01-01T00:00:00Z", "a"), at("2026-01-01T00:00:00Z", "b"))).toBe(true);
    expect(isNewerVersion(at("2026-01-01T00:00:00Z", "b"), at("2026-01-01T00:00:00Z", "a"))).toBe(false);
  });
});

describe("money refunded on an order", () => {
  const order = { currency: "EUR", presentmentCurrency: "EUR", totalPrice: money("100.00"), presentmentTotalPrice: money("100.00") };

  it("adds the refunds made in the shop's currency exactly", () => {
    expect(moneyRefunded(order, [{ transactionsAmount: money("10.10") }, { transactionsAmount: money("0.20") }]).toFixed(2)).toBe("10.30");
  });

  it("converts refunds made in the buyer's currency at the order's own rate", () => {
    const inDollars = { ...order, presentmentCurrency: "USD", presentmentTotalPrice: money("125.00") };
    expect(moneyRefunded(inDollars, [{ transactionsAmount: money("25.00") }]).toFixed(2)).toBe("20.00");
  });
});

it("an order counts unless it is a test, cancelled or deleted", () => {
  expect(orderCounts({ test: false, cancelledAt: null })).toBe(true);
  expect(orderCounts({ test: true, cancelledAt: null })).toBe(false);
  expect(orderCounts({ test: false, cancelledAt: new Date() })).toBe(false);
  expect(orderCounts({ test: false, cancelledAt: null, deletedAt: new Date() })).toBe(false);
});
