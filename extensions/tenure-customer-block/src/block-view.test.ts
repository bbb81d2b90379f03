// What the block shows in each state, in English as the admin would render it: the real locale file
// stands in for the admin's translate (a key missing from it fails the test).
import { describe, expect, it } from "vitest";
import type { CustomerBlockResponse } from "../../../app/customer-block/response";
import en from "../locales/en.default.json";
import { type Formatter, blockView } from "./block-view";

type Tree = { [key: string]: string | Tree };

function translate(key: string, replacements: Record<string, string | number> = {}): string {
  let entry: string | Tree | undefined = en as Tree;
  for (const part of key.split(".")) entry = typeof entry === "object" ? entry[part] : undefined;
  if (typeof entry === "object" && "count" in replacements) entry = entry[new Intl.PluralRules("en").select(Number(replacements.count))];
  if (typeof entry !== "string") throw new Error(`no English text for ${key}`);
  return entry.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => String(replacements[name] ?? `{{${name}}}`));
}

const format: Formatter = {
  translate,
  number: (value, options) => new Intl.NumberFormat("en", options).format(value),
  currency: (value, currency) => new Intl.NumberFormat("en", { style: "currency", currency }).format(value),
};

const scored: CustomerBlockResponse = {
  customer: { id: "8100000000000000001", gid: "gid://shopify/Customer/8100000000000000001", appPath: "/app/customers/8100000000000000001" },
  currency: "EUR",
  historicalLtv: "1225.75",
  ordersCount: 3,
  lastOrderAt: "2026-09-01T10:00:00.000Z",
  scored: true,
  rfmGroup: "at_risk",
  valueTier: "top5",
  predictions: { status: "available", horizonMonths: 12, predictedClv: "310.40", probabilityAlive: 0.4349, singlePurchaseDay: false },
  expectedNextOrder: { expectedOrders: 1.26, withinMonths: 12, expectedOrderValue: "61.05" },
};

const valueOf = (view: ReturnType<typeof blockView>) => Object.fromEntries(view.lines.map((line) => [line.label, line.value]));

describe("the customer block", () => {
  it("shows a scored customer's figures in the shop's currency, P(alive) in whole percent and the next order to one decimal", () => {
    const view = blockView(scored, format);
    expect(valueOf(view)).toEqual({
      "Historical LTV": "€1,225.75",
      "Predicted CLV (12 months)": "€310.40",
      "P(alive)": "43%",
      "RFM segment": "At risk",
      "Value tier": "Top 5 %",
      "Expected next order": "1.3 orders expected in the next 12 months, about €61.05 each",
    });
    expect(view.notice).toBeNull();
    expect(view.appLink).toEqual({ href: "app:app/customers/8100000000000000001", label: "Open in Tenure" });
  });

  it("names a one-month horizon in the singular and a fractional one with its decimal", () => {
    const oneMonth = blockView({ ...scored, predictions: { ...scored.predictions, horizonMonths: 1 } as CustomerBlockResponse["predictions"], expectedNextOrder: { expectedOrders: 0.2, withinMonths: 1, expectedOrderValue: null } }, format);
    expect(valueOf(oneMonth)).toMatchObject({ "Predicted CLV (1 month)": "€310.40", "Expected next order": "0.2 orders expected in the next 1 month" });
    const fractional = blockView({ ...scored, predictions: { ...scored.predictions, horizonMonths: 6.5 } as CustomerBlockResponse["predictions"] }, format);
    expect(fractional.lines[1]!.label).toBe("Predicted CLV (6.5 months)");
  });

  it("says why P(alive) is 100 % for a customer whose orders are all from one day", () => {
    const view = blockView({ ...scored, predictions: { ...scored.predictions, probabilityAlive: 1, singlePurchaseDay: true } as CustomerBlockResponse["predictions"] }, format);
    expect(valueOf(view)["P(alive)"]).toBe("100%");
    expect(view.notice).toMatch(/^All of this customer's orders are from one day/);
  });

  it("before the shop's first scoring: exact historical LTV, every model figure 'Not scored yet'", () => {
    const view = blockView(
      { ...scored, scored: false, rfmGroup: null, valueTier: null, predictions: { status: "unavailable", reason: "notFitted" }, expectedNextOrder: null },
      format,
    );
    expect(valueOf(view)).toEqual({
      "Historical LTV": "€1,225.75",
      "Predicted CLV": "Not scored yet",
      "P(alive)": "Not scored yet",
      "RFM segment": "Not scored yet",
      "Value tier": "Not scored yet",
      "Expected next order": "Not scored yet",
    });
    expect(view.notice).toMatch(/^Tenure hasn't scored this shop yet/);
  });

  it("with too few repeat customers: segment and tier from history, predictions 'Not enough history'", () => {
    const view = blockView({ ...scored, predictions: { status: "unavailable", reason: "tooFewRepeatCustomers" }, expectedNextOrder: null }, format);
    expect(valueOf(view)).toMatchObject({ "Predicted CLV": "Not enough history", "P(alive)": "Not enough history", "RFM segment": "At risk", "Value tier": "Top 5 %", "Expected next order": "Not enough history" });
    expect(view.notice).toMatch(/^Not enough order history yet/);
  });

  it("a prospect has no orders to rank and nothing to predict", () => {
    const view = blockView(
      { ...scored, historicalLtv: "0.00", ordersCount: 0, rfmGroup: "prospects", valueTier: null, predictions: { status: "prospect" }, expectedNextOrder: null },
      format,
    );
    expect(valueOf(view)).toMatchObject({ "Historical LTV": "€0.00", "RFM segment": "Prospects", "Value tier": "No orders yet", "Predicted CLV": "Not enough history" });
    expect(view.notice).toMatch(/^This customer has no counted orders yet/);
  });

  it("a customer whose figures changed after the last scoring waits for the next one", () => {
    const view = blockView({ ...scored, predictions: { status: "pending", fittedAt: "2026-09-01T03:00:00.000Z" }, expectedNextOrder: null }, format);
    expect(valueOf(view)["Predicted CLV"]).toBe("Not scored yet");
    expect(view.notice).toMatch(/after the last scoring/);
  });

  it("without a known currency shows plain amounts with two decimals", () => {
    const view = blockView({ ...scored, currency: null }, format);
    expect(valueOf(view)["Historical LTV"]).toBe("1,225.75");
  });
});
