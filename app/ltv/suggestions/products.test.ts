import { describe, expect, it } from "vitest";
import { buildSuggestions } from "./index";
import { type TestOrder, playbookOf, purchasesOn, testInput } from "./test-input";

const TODAY = 20_000;

describe("replenishment", () => {
  // Coffee every 30 days (one customer 28 then 32): median 30, quartiles 30 and 30. A buyer is due
  // when last purchase + 30 is within today − 7 … today + 14, i.e. the last purchase 16–37 days ago.
  const coffeeBuyer = (customer: string, daysAgo: number, intervals: [number, number] = [30, 30]) =>
    purchasesOn(customer, [TODAY - daysAgo - intervals[0] - intervals[1], TODAY - daysAgo - intervals[1], TODAY - daysAgo], ["coffee"], 1500);
  const coffee: TestOrder[] = [
    ...coffeeBuyer("due-in-14-days", 16, [28, 32]),
    ...coffeeBuyer("due-in-15-days", 15),
    ...coffeeBuyer("overdue-7-days", 37),
    ...coffeeBuyer("overdue-8-days", 38),
    ...coffeeBuyer("due-today", 30),
    ...coffeeBuyer("bought-5-days-ago", 5),
    // A first-time buyer is due too.
    ...purchasesOn("first-coffee-20-days-ago", [TODAY - 20], ["coffee"], 1500),
  ];
  // Gadgets are bought again, but irregularly: intervals 5 … 300, median 100, quartiles 8.75 and 225.
  const gadgetIntervals = [
    [5, 300],
    [5, 300],
    [5, 300],
    [10, 200],
    [10, 200],
    [100, 100],
  ] as const;
  const gadgets = gadgetIntervals.flatMap(([first, second], i) =>
    // Each due today if the median (100) were a rhythm.
    purchasesOn(`gadget-${i}`, [TODAY - 100 - second - first, TODAY - 100 - second, TODAY - 100], ["gadget"]),
  );

  it("lists regular products with their median interval and the customers due, in the next 14 days or up to 7 overdue", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: [...coffee, ...gadgets] })), "replenishment");
    expect(playbook?.products).toEqual([
      {
        productId: "coffee",
        title: "coffee",
        medianIntervalDays: 30,
        lowerQuartileIntervalDays: 30,
        upperQuartileIntervalDays: 30,
        repeatPairs: 12,
        repeatCustomers: 6,
        averageOrderAmountMinor: 1500,
        customerIds: ["due-in-14-days", "overdue-7-days", "due-today", "first-coffee-20-days-ago"],
        customerCount: 4,
      },
    ]);
    expect(playbook?.audienceCustomerIds).toEqual(["due-in-14-days", "overdue-7-days", "due-today", "first-coffee-20-days-ago"]);
    expect(playbook?.evidence).toEqual({ products: 1, daysAhead: 14, daysOverdue: 7 });
    expect(playbook?.timing).toEqual({ kind: "product_due", daysAhead: 14, daysOverdue: 7 });
    // 4 × 5 % × 15.00
    expect(playbook?.valueAtStake).toEqual({ basis: "expected_uplift", amountMinor: 300, assumedConversionRate: 0.05 });
  });

  it("accepts an irregular product only when its IQR ÷ median is within the bound", () => {
    // (225 − 8.75) / 100 = 2.1625
    const loose = buildSuggestions(testInput({ asOfDay: TODAY, orders: gadgets, options: { replenishmentMaxRelativeIqr: 2.17 } }));
    expect(playbookOf(loose, "replenishment")?.products.map((product) => [product.productId, product.medianIntervalDays, product.customerCount])).toEqual([
      ["gadget", 100, 6],
    ]);
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: gadgets })), "replenishment")).toBeUndefined();
  });

  it("needs 10 repeat pairs: 5 regular buyers (10 pairs) are enough, 4 (8 pairs) are not", () => {
    const withoutOne = coffee.filter((order) => order.customer !== "bought-5-days-ago");
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: withoutOne })), "replenishment")?.products[0]?.repeatPairs).toBe(10);
    const withoutTwo = withoutOne.filter((order) => order.customer !== "overdue-8-days");
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: withoutTwo })), "replenishment")).toBeUndefined();
  });

  it("is left out without repeat purchases of a product, whatever the shop's repeat orders", () => {
    // Every customer comes back, each time for a different product.
    const orders = Array.from({ length: 20 }, (_, i) => [
      { customer: `c${i}`, day: TODAY - 60, lines: [{ product: `first-${i}` }] },
      { customer: `c${i}`, day: TODAY - 30, lines: [{ product: `second-${i}` }] },
    ]).flat();
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "replenishment")).toBeUndefined();
  });

  it("does not count two orders of a product on one day as a repurchase", () => {
    // Were they 12 intervals of 0 days, every buyer would be due today.
    const sameDay = Array.from({ length: 12 }, (_, i) => purchasesOn(`c${i}`, [TODAY - 3, TODAY - 3], ["coffee"])).flat();
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: sameDay })), "replenishment")).toBeUndefined();
  });
});

describe("cross_sell", () => {
  it("lists at most three suggestions for one bought product, so one best-seller does not fill the list", () => {
    // The mug goes with five products (12 orders each); three mug buyers bought nothing else.
    const orders: TestOrder[] = [
      ...Array.from({ length: 5 }, (_, partner) =>
        Array.from({ length: 12 }, (_, i) => ({ customer: `p${partner}-${i}`, day: TODAY - 50, lines: [{ product: "mug" }, { product: `partner-${partner}` }] })),
      ).flat(),
      ...Array.from({ length: 3 }, (_, i) => ({ customer: `mug-only-${i}`, day: TODAY - 40, lines: [{ product: "mug" }] })),
      ...Array.from({ length: 40 }, (_, i) => ({ customer: `water-${i}`, day: TODAY - 30, lines: [{ product: "water" }] })),
    ];
    const pairs = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "cross_sell")?.pairs ?? [];
    expect(pairs.filter((pair) => pair.boughtProductId === "mug")).toHaveLength(3);
  });

  // Pasta (10.00) and sauce (5.00) go together in 12 of 39 orders; water sells alone.
  const pair = (customer: string): TestOrder => ({
    customer,
    day: TODAY - 50,
    lines: [
      { product: "pasta", amount: 1000 },
      { product: "sauce", amount: 500 },
    ],
  });
  const orders: TestOrder[] = [
    ...Array.from({ length: 11 }, (_, i) => pair(`both-${i}`)),
    // Pasta on two lines (a free second variant) is still one order with pasta and sauce.
    { ...pair("both-11"), lines: [...(pair("both-11").lines ?? []), { product: "pasta", amount: 0 }] },
    ...["pasta-only-1", "pasta-only-2", "pasta-only-3"].map((customer) => ({ customer, day: TODAY - 40, lines: [{ product: "pasta", amount: 1000 }] })),
    ...["sauce-only-1", "sauce-only-2"].map((customer) => ({ customer, day: TODAY - 40, lines: [{ product: "sauce", amount: 500 }] })),
    // Bought both, in different orders: in neither audience.
    { customer: "both-apart", day: TODAY - 40, lines: [{ product: "pasta", amount: 1000 }] },
    { customer: "both-apart", day: TODAY - 20, lines: [{ product: "sauce", amount: 500 }] },
    ...Array.from({ length: 20 }, (_, i) => ({ customer: `water-${i}`, day: TODAY - 30, lines: [{ product: "water" }] })),
  ];

  it("suggests B to the buyers of A who never bought B, for pairs with support ≥ 10 and lift ≥ 1.5", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "cross_sell");
    // 39 orders; pasta in 16, sauce in 15, both in 12: lift = 12 × 39 / (16 × 15) = 1.95.
    expect(playbook?.pairs).toEqual([
      {
        boughtProductId: "sauce",
        boughtTitle: "sauce",
        suggestedProductId: "pasta",
        suggestedTitle: "pasta",
        support: 12,
        boughtOrders: 15,
        suggestedOrders: 16,
        confidence: 0.8,
        lift: 1.95,
        averageOrderAmountMinor: 1000,
        customerIds: ["sauce-only-1", "sauce-only-2"],
        customerCount: 2,
      },
      {
        boughtProductId: "pasta",
        boughtTitle: "pasta",
        suggestedProductId: "sauce",
        suggestedTitle: "sauce",
        support: 12,
        boughtOrders: 16,
        suggestedOrders: 15,
        confidence: 0.75,
        lift: 1.95,
        averageOrderAmountMinor: 500,
        customerIds: ["pasta-only-1", "pasta-only-2", "pasta-only-3"],
        customerCount: 3,
      },
    ]);
    expect(playbook?.audienceCustomerIds).toEqual(["pasta-only-1", "pasta-only-2", "pasta-only-3", "sauce-only-1", "sauce-only-2"]);
    expect(playbook?.evidence).toEqual({ pairs: 2, ordersAnalysed: 39, productsAnalysed: 3 });
    // 5 % × (2 × 10.00 + 3 × 5.00)
    expect(playbook?.valueAtStake.amountMinor).toBe(175);
  });

  it("is left out below the support threshold", () => {
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders, options: { crossSellMinSupport: 13 } })), "cross_sell")).toBeUndefined();
  });

  it("is left out for products bought together no more often than by chance", () => {
    // 10 of 30 orders have both, each product is in 20: lift = 10 × 30 / (20 × 20) = 0.75.
    const independent: TestOrder[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ customer: `both-${i}`, day: TODAY - 10, lines: [{ product: "a" }, { product: "b" }] })),
      ...Array.from({ length: 10 }, (_, i) => ({ customer: `a-${i}`, day: TODAY - 10, lines: [{ product: "a" }] })),
      ...Array.from({ length: 10 }, (_, i) => ({ customer: `b-${i}`, day: TODAY - 10, lines: [{ product: "b" }] })),
    ];
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: independent })), "cross_sell")).toBeUndefined();
  });

  it("does not count baskets with more paired products than the cap", () => {
    const withWater = orders.map((order) => (order.customer.startsWith("both-") && order.lines?.length === 2 ? { ...order, lines: [...order.lines, { product: "water" }] } : order));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: withWater })), "cross_sell")?.pairs).toHaveLength(2);
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: withWater, options: { crossSellMaxBasketProducts: 2 } })), "cross_sell")).toBeUndefined();
  });
});

describe("category_interest", () => {
  const products = [
    { id: "tee", category: "Apparel" },
    { id: "hoodie", category: "Apparel" },
    { id: "mug", category: "Home" },
    { id: "poster", category: "Home" },
  ];
  const orders: TestOrder[] = [
    // Apparel on two days, different products: 5 customers.
    ...Array.from({ length: 5 }, (_, i) => [
      { customer: `apparel-${i}`, day: TODAY - 40, lines: [{ product: "tee", amount: 2000 }] },
      { customer: `apparel-${i}`, day: TODAY - 10, lines: [{ product: "hoodie", amount: 4000 }] },
    ]).flat(),
    { customer: "apparel-once", day: TODAY - 10, lines: [{ product: "tee", amount: 2000 }] },
    // Home on two days: 5 customers; one more bought two Home products on one day.
    ...Array.from({ length: 5 }, (_, i) => purchasesOn(`home-${i}`, [TODAY - 90, TODAY - 60], ["mug"], 1200)).flat(),
    { customer: "home-one-day", day: TODAY - 5, lines: [{ product: "mug", amount: 1200 }, { product: "poster", amount: 800 }] },
  ];

  it("lists customers who bought in a category on two or more days, by category", () => {
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders, products })), "category_interest");
    expect(playbook?.categories).toEqual([
      {
        category: "Apparel",
        buyers: 6,
        repeatBuyers: 5,
        repeatShare: 5 / 6,
        // (5 × 20.00 + 5 × 40.00 + 20.00) / 11 orders
        averageOrderAmountMinor: 2909,
        customerIds: ["apparel-0", "apparel-1", "apparel-2", "apparel-3", "apparel-4"],
        customerCount: 5,
      },
      {
        category: "Home",
        buyers: 6,
        repeatBuyers: 5,
        repeatShare: 5 / 6,
        // (10 × 12.00 + 20.00) / 11 orders
        averageOrderAmountMinor: 1273,
        customerIds: ["home-0", "home-1", "home-2", "home-3", "home-4"],
        customerCount: 5,
      },
    ]);
    expect(playbook?.audienceCount).toBe(10);
    // 5 % × (5 × 29.09 + 5 × 12.73)
    expect(playbook?.valueAtStake.amountMinor).toBe(1046);
  });

  it("is left out when products carry no category", () => {
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders })), "category_interest")).toBeUndefined();
  });

  it("is left out when the shop has a single category", () => {
    const oneCategory = products.map((product) => ({ ...product, category: "Everything" }));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders, products: oneCategory })), "category_interest")).toBeUndefined();
  });

  it("is left out when customers bought in a single category, whatever the catalogue", () => {
    const apparelOnly = orders.filter((order) => order.customer.startsWith("apparel"));
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: apparelOnly, products })), "category_interest")).toBeUndefined();
  });

  it("lists only categories with 5 repeat buyers", () => {
    const fewer = orders.filter((order) => order.customer !== "home-4");
    const playbook = playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: fewer, products })), "category_interest");
    expect(playbook?.categories.map((category) => category.category)).toEqual(["Apparel"]);
    const fewerStill = fewer.filter((order) => order.customer !== "apparel-4");
    expect(playbookOf(buildSuggestions(testInput({ asOfDay: TODAY, orders: fewerStill, products })), "category_interest")).toBeUndefined();
  });
});
