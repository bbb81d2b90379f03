import { describe, expect, it } from "vitest";
import { buildSuggestions } from "./index";
import { type TestOrder, playbookOf, purchasesOn, testInput } from "./test-input";

const TODAY = 20_000;

describe("welcome", () => {
  const orders: TestOrder[] = [
    { customer: "today", day: TODAY, amount: 2000 },
    { customer: "13-days-ago", day: TODAY - 13 },
    { customer: "14-days-ago", day: TODAY - 14 },
    ...purchasesOn("bought-twice", [TODAY - 5, TODAY - 2], []),
    // Two orders on one day are one purchase: still a new customer.
    ...purchasesOn("split-basket", [TODAY - 3, TODAY - 3], []),
    // After asOfDay: ignored, so not a customer yet.
    { customer: "tomorrow", day: TODAY + 1 },
  ];

  it("lists one-purchase customers whose first order is 0–13 days old, with the shop's repeat rate", () => {
    const welcome = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "welcome");
    expect(welcome?.audienceCustomerIds).toEqual(["today", "13-days-ago", "split-basket"]);
    expect(welcome?.audienceCount).toBe(3);
    // 5 customers with orders up to today, 1 of them on two days; AOV = 8000 / 7 orders.
    expect(welcome?.evidence).toEqual({
      newCustomers: 3,
      windowDays: 14,
      customersWithOrders: 5,
      repeatCustomers: 1,
      repeatRate: 0.2,
      averageOrderValueMinor: 1143,
    });
    expect(welcome?.timing).toEqual({ kind: "days_after_first_order", days: 0 });
    // 3 × 5 % × 11.43 = 1.7145
    expect(welcome?.valueAtStake).toEqual({ basis: "expected_uplift", amountMinor: 171, assumedConversionRate: 0.05 });
    expect(welcome?.actions).toEqual(["export_csv"]);
  });

  it("is left out when nobody bought for the first time in the window", () => {
    const old = orders.filter((order) => order.day <= TODAY - 14 || order.customer === "bought-twice");
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: old })), "welcome")).toBeUndefined();
  });
});

describe("second_purchase", () => {
  // 20 customers returned after 11, 12, …, 30 days: median 20.5 → 21 days, window 21–63 days.
  const returning = Array.from({ length: 20 }, (_, i) => purchasesOn(`returned-${i}`, [TODAY - 200, TODAY - 200 + 11 + i], [])).flat();
  const oneTime: TestOrder[] = [
    { customer: "20-days-ago", day: TODAY - 20 },
    { customer: "21-days-ago", day: TODAY - 21 },
    { customer: "63-days-ago", day: TODAY - 63 },
    { customer: "64-days-ago", day: TODAY - 64 },
    ...purchasesOn("split-basket-30-days-ago", [TODAY - 30, TODAY - 30], []),
  ];

  it("times the reminder at the median first-to-second purchase gap and lists one-time buyers 1–3 gaps old", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: [...returning, ...oneTime] })), "second_purchase");
    expect(playbook?.timing).toEqual({ kind: "days_after_first_order", days: 21 });
    expect(playbook?.audienceCustomerIds).toEqual(["21-days-ago", "63-days-ago", "split-basket-30-days-ago"]);
    expect(playbook?.evidence).toEqual({
      customersWithOrders: 25,
      repeatCustomers: 20,
      repeatRate: 0.8,
      medianGapDays: 21,
      lowerQuartileGapDays: 15.75,
      upperQuartileGapDays: 25.25,
      windowFromDays: 21,
      windowToDays: 63,
      averageOrderValueMinor: 1000,
    });
    // 3 × 5 % × 10.00
    expect(playbook?.valueAtStake.amountMinor).toBe(150);
  });

  it("needs 20 customers with a second purchase day: 19, plus one who split a basket on one day, are not enough", () => {
    const nineteen = returning.filter((order) => order.customer !== "returned-0");
    const orders = [...nineteen, ...purchasesOn("same-day-twice", [TODAY - 100, TODAY - 100], []), ...oneTime];
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "second_purchase")).toBeUndefined();
  });

  it("is left out when no one-time buyer is in the window", () => {
    const orders = [...returning, { customer: "64-days-ago", day: TODAY - 64 }];
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "second_purchase")).toBeUndefined();
  });
});

describe("review_request", () => {
  it("lists customers whose latest purchase was 7–21 days ago", () => {
    const orders: TestOrder[] = [
      { customer: "6-days-ago", day: TODAY - 6 },
      { customer: "7-days-ago", day: TODAY - 7 },
      { customer: "21-days-ago", day: TODAY - 21 },
      { customer: "22-days-ago", day: TODAY - 22 },
      ...purchasesOn("first-long-ago-last-10-days-ago", [TODAY - 300, TODAY - 10], []),
      ...purchasesOn("last-3-days-ago", [TODAY - 10, TODAY - 3], []),
    ];
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "review_request");
    expect(playbook?.audienceCustomerIds).toEqual(["7-days-ago", "21-days-ago", "first-long-ago-last-10-days-ago"]);
    expect(playbook?.evidence).toEqual({ customers: 3, windowFromDays: 7, windowToDays: 21 });
    expect(playbook?.timing).toEqual({ kind: "days_after_last_order", days: 7 });
    expect(playbook?.valueAtStake).toEqual({ basis: "none", amountMinor: 0 });
  });

  it("is left out when no latest purchase is in the window", () => {
    const orders: TestOrder[] = [
      { customer: "6-days-ago", day: TODAY - 6 },
      { customer: "22-days-ago", day: TODAY - 22 },
    ];
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "review_request")).toBeUndefined();
  });
});
