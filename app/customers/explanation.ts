// Which plain-language explanation a customer's predictions get, with the numbers it needs. Pure:
// the customer page turns the result into a sentence in the merchant's language.
//
// The cases follow what the models can and cannot say:
// - no counted order: nothing to predict;
// - the shop's models are missing or insufficient: no predictions, and why (too few repeat
//   customers, a fit that did not converge, not fitted yet);
// - the models are fitted but this customer has no scores yet (they arrived after the last refit);
// - one purchase day: BG/NBD lets a customer drop out only after a repeat purchase, so P(alive) = 1
//   whatever the time since — the model cannot yet tell whether they are still active;
// - otherwise: orders, span, days since the last order, P(alive), expected orders and value.
import { DEFAULT_MIN_REPEAT_CUSTOMERS } from "~/ltv/score-shop";

const DAY_MS = 86_400_000;

export type ModelFitSummary = {
  fittedAt: string;
  insufficient: boolean;
  converged: boolean;
  customers: number;
  repeatCustomers: number;
  horizonMonths: number;
};

export type ModelStatus =
  | { state: "notFitted" }
  | { state: "insufficient"; reason: "noOrders" | "tooFewRepeatCustomers" | "notConverged"; repeatCustomers: number; needed: number }
  | { state: "ready"; horizonMonths: number; fittedAt: string };

/** The shop's model status from its latest fit (null: never fitted). */
export function modelStatus(fit: ModelFitSummary | null): ModelStatus {
  if (!fit) return { state: "notFitted" };
  if (!fit.insufficient) return { state: "ready", horizonMonths: fit.horizonMonths, fittedAt: fit.fittedAt };
  const base = { state: "insufficient" as const, repeatCustomers: fit.repeatCustomers, needed: DEFAULT_MIN_REPEAT_CUSTOMERS };
  if (fit.customers === 0) return { ...base, reason: "noOrders" };
  if (fit.repeatCustomers < DEFAULT_MIN_REPEAT_CUSTOMERS) return { ...base, reason: "tooFewRepeatCustomers" };
  return { ...base, reason: "notConverged" };
}

export type Span = { unit: "days" | "months" | "years"; value: number };

/** A time span as people say it: days under two months, months under two years, then years. */
export function humanSpan(days: number): Span {
  if (days < 60) return { unit: "days", value: Math.max(0, Math.round(days)) };
  if (days < 730) return { unit: "months", value: Math.round(days / 30.436875) };
  return { unit: "years", value: Math.round((days / 365.2425) * 10) / 10 };
}

export type ExplanationInput = {
  ordersCount: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  probabilityAlive: number | null;
  expectedPurchases12m: number | null;
  /** Decimal string in the shop's currency. */
  predictedClv12m: string | null;
  now: string;
};

export type Explanation =
  | { kind: "prospect" }
  | { kind: "unavailable"; status: Exclude<ModelStatus, { state: "ready" }> }
  | { kind: "pending"; fittedAt: string }
  | {
      kind: "singlePurchase";
      orders: number;
      daysSinceLastOrder: number;
      probabilityAlive: number;
      expectedPurchases: number;
      predictedClv: string;
      horizonMonths: number;
    }
  | {
      kind: "repeat";
      orders: number;
      span: Span;
      daysSinceLastOrder: number;
      probabilityAlive: number;
      expectedPurchases: number;
      predictedClv: string;
      horizonMonths: number;
    };

const utcDay = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS);

export function explainPredictions(customer: ExplanationInput, status: ModelStatus): Explanation {
  if (customer.ordersCount === 0 || !customer.firstOrderAt || !customer.lastOrderAt) return { kind: "prospect" };
  if (status.state !== "ready") return { kind: "unavailable", status };
  const { probabilityAlive, expectedPurchases12m, predictedClv12m } = customer;
  if (probabilityAlive === null || expectedPurchases12m === null || predictedClv12m === null) return { kind: "pending", fittedAt: status.fittedAt };
  const daysSinceLastOrder = Math.max(0, Math.floor((Date.parse(customer.now) - Date.parse(customer.lastOrderAt)) / DAY_MS));
  const common = {
    orders: customer.ordersCount,
    daysSinceLastOrder,
    probabilityAlive,
    expectedPurchases: expectedPurchases12m,
    predictedClv: predictedClv12m,
    horizonMonths: status.horizonMonths,
  };
  // The models see purchase days: several orders on one day are one purchase (no repeat yet).
  if (utcDay(customer.firstOrderAt) === utcDay(customer.lastOrderAt)) return { kind: "singlePurchase", ...common };
  const span = humanSpan((Date.parse(customer.lastOrderAt) - Date.parse(customer.firstOrderAt)) / DAY_MS);
  return { kind: "repeat", ...common, span };
}
