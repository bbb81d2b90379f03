import { describe, expect, it } from "vitest";
import { computeCustomerFigures, daysSinceLastOrder } from "./customer-figures";
import { money } from "./money";

const order = (total: string, refunded: string, day: number, extra: Partial<{ test: boolean; cancelledAt: Date | null; deletedAt: Date | null }> = {}) => ({
  totalPrice: money(total),
  refunded: money(refunded),
  placedAt: new Date(Date.UTC(2026, 0, 1 + day)),
  test: false,
  cancelledAt: null,
  ...extra,
});

describe("a customer's historical figures", () => {
  it("sum exactly where floats would drift: 0.1 + 0.2 ten times is 3.00", () => {
    const figures = computeCustomerFigures(Array.from({ length: 10 }, (_, i) => [order("0.10", "0", i * 2), order("0.20", "0", i * 2 + 1)]).flat());
    expect(figures.grossSales.toFixed(2)).toBe("3.00");
    expect(figures.ordersCount).toBe(20);
    expect(figures.averageOrderValue?.toFixed(2)).toBe("0.15");
  });

  it("net revenue is gross sales minus refunds, and test, cancelled and deleted orders do not count", () => {
    const figures = computeCustomerFigures([
      order("50.00", "10.00", 0),
      order("30.10", "5.25", 31),
      order("999.00", "0", 5, { test: true }),
      order("19.90", "0", 40, { cancelledAt: new Date() }),
      order("77.00", "0", 50, { deletedAt: new Date() }),
    ]);
    expect(figures.ordersCount).toBe(2);
    expect(figures.grossSales.toFixed(2)).toBe("80.10");
    expect(figures.refunds.toFixed(2)).toBe("15.25");
    expect(figures.netRevenue.toFixed(2)).toBe("64.85");
    expect(figures.firstOrderAt?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(figures.lastOrderAt?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(figures.tenureDays).toBe(31);
    // One repeat order in 31 days ≈ 11.77 orders a year.
    expect(figures.purchaseFrequency).toBeCloseTo(365 / 31, 6);
  });

  it("a customer whose only order was cancelled is worth nothing and has no dates", () => {
    const figures = computeCustomerFigures([order("40.00", "0", 0, { cancelledAt: new Date() })]);
    expect(figures).toMatchObject({ ordersCount: 0, averageOrderValue: null, firstOrderAt: null, purchaseFrequency: null });
    expect(figures.netRevenue.toFixed(2)).toBe("0.00");
  });

  it("one order has no purchase frequency yet", () => {
    expect(computeCustomerFigures([order("10.00", "0", 0)]).purchaseFrequency).toBeNull();
  });

  it("days since last order are whole days", () => {
    expect(daysSinceLastOrder(new Date("2026-01-01T12:00:00Z"), new Date("2026-01-11T11:00:00Z"))).toBe(9);
    expect(daysSinceLastOrder(null, new Date())).toBeNull();
  });
});
