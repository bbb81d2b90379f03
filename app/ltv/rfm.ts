// RFM segments: recency, frequency and monetary scores 1–5 by quintile within the shop, and the 11
// named groups Shopify merchants know from their admin (Shopify's CustomerRfmGroup).
//
// Scores. Among the shop's customers with at least one counted order, a customer's score on a
// dimension is 1 + ⌊5 × w / (n − 1)⌋ capped at 5, where w is the number of customers with a strictly
// worse value and n the number of customers scored: w / (n − 1) is SQL's PERCENT_RANK, so the worst
// value always scores 1, the single best always 5, and each fifth of the range one score. Ties are
// handled deterministically: tied customers share the score of the lowest place their value reaches
// (all one-order customers score F1 however many they are), whatever order the customers come in, so
// a score band can hold more or less than 20 % of the customers. When every customer has the same
// value on a dimension (a single customer, say), nobody is better or worse and all score 3.
//   R: fewer days since the last order is better;  F: more counted orders is better;
//   M: more net revenue (historical LTV) is better.
//
// Groups. As in Shopify's admin, the group depends on R and on FM = (F + M) / 2 (1, 1.5, …, 5); the
// ranges below are Tenure's own, written from the descriptions of Shopify's groups, and cover every
// (R, FM) combination exactly once (a test checks it). Customers without a counted order are
// Prospects and get no scores.
import { orderStatistics } from "./ranking";

export type RfmGroup =
  | "champions"
  | "loyal"
  | "active"
  | "needs_attention"
  | "new"
  | "promising"
  | "at_risk"
  | "previously_loyal"
  | "almost_lost"
  | "dormant"
  | "prospects";

/** Every group, best first; a group's index here is its code in `RfmSegments.group`. */
export const RFM_GROUPS = [
  "champions",
  "loyal",
  "active",
  "needs_attention",
  "new",
  "promising",
  "at_risk",
  "previously_loyal",
  "almost_lost",
  "dormant",
  "prospects",
] as const satisfies readonly RfmGroup[];

export const RFM_GROUP_LABELS: Record<RfmGroup, string> = {
  champions: "Champions",
  loyal: "Loyal",
  active: "Active",
  needs_attention: "Needs attention",
  new: "New",
  promising: "Promising",
  at_risk: "At risk",
  previously_loyal: "Previously loyal",
  almost_lost: "Almost lost",
  dormant: "Dormant",
  prospects: "Prospects",
};

/** Inclusive score range [min, max]. */
export type ScoreRange = readonly [min: number, max: number];

export type RfmGroupRule = {
  group: Exclude<RfmGroup, "prospects">;
  /** R score range. */
  recency: ScoreRange;
  /** FM = (F + M) / 2 range, in steps of 0.5. */
  frequencyMonetary: ScoreRange;
  description: string;
};

/**
 * The scored groups as a table of R and FM ranges: R 5 = very recent, 3–4 = recent, 1–2 = not
 * recent; FM 4–5 = many orders and the most spend, 2.5–3.5 = some orders and moderate spend,
 * 1–2 = few orders and low spend. Prospects (no counted order) sit outside the table.
 *
 * |            | R 1              | R 2              | R 3             | R 4       | R 5       |
 * | FM 4–5     | Previously loyal | Previously loyal | Loyal           | Loyal     | Champions |
 * | FM 2.5–3.5 | At risk          | At risk          | Needs attention | Active    | Active    |
 * | FM 1–2     | Dormant          | Almost lost      | Promising       | Promising | New       |
 */
export const RFM_GROUP_RULES: readonly RfmGroupRule[] = [
  { group: "champions", recency: [5, 5], frequencyMonetary: [4, 5], description: "very recent purchases, many orders, the most spend" },
  { group: "loyal", recency: [3, 4], frequencyMonetary: [4, 5], description: "recent purchases, many orders, the most spend" },
  { group: "active", recency: [4, 5], frequencyMonetary: [2.5, 3.5], description: "recent purchases, some orders, moderate spend" },
  { group: "needs_attention", recency: [3, 3], frequencyMonetary: [2.5, 3.5], description: "less recent purchases, some orders, moderate spend" },
  { group: "new", recency: [5, 5], frequencyMonetary: [1, 2], description: "very recent purchases, few orders, low spend" },
  { group: "promising", recency: [3, 4], frequencyMonetary: [1, 2], description: "recent purchases, few orders, low spend" },
  { group: "at_risk", recency: [1, 2], frequencyMonetary: [2.5, 3.5], description: "no recent purchase, a strong history of orders and spend" },
  { group: "previously_loyal", recency: [1, 2], frequencyMonetary: [4, 5], description: "no recent purchase, a very strong history of orders and spend" },
  { group: "almost_lost", recency: [2, 2], frequencyMonetary: [1, 2], description: "no recent purchase, few orders, low spend" },
  { group: "dormant", recency: [1, 1], frequencyMonetary: [1, 2], description: "no purchase for the longest, few orders, low spend" },
];

export const RFM_PROSPECTS_RULE = { group: "prospects", description: "customers with no counted order" } as const;

const GROUP_CODE = new Map<RfmGroup, number>(RFM_GROUPS.map((group, code) => [group, code]));

export function rfmGroupCode(group: RfmGroup): number {
  return GROUP_CODE.get(group) as number;
}

export const PROSPECTS_CODE = rfmGroupCode("prospects");

// (R, 2·FM) → group code, built once from the rules; 2·FM = F + M is a whole number 2..10.
const GROUP_BY_SCORES = (() => {
  const table = new Int8Array(6 * 11).fill(-1);
  for (const rule of RFM_GROUP_RULES) {
    for (let r = rule.recency[0]; r <= rule.recency[1]; r++) {
      for (let fmTwice = rule.frequencyMonetary[0] * 2; fmTwice <= rule.frequencyMonetary[1] * 2; fmTwice++) {
        table[r * 11 + fmTwice] = rfmGroupCode(rule.group);
      }
    }
  }
  return table;
})();

/** The group of a customer with recency score `recency` and frequency and monetary scores F and M. */
export function rfmGroupForScores(recency: number, frequency: number, monetary: number): RfmGroup {
  for (const [name, score] of [
    ["recency", recency],
    ["frequency", frequency],
    ["monetary", monetary],
  ] as const) {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError(`${name} score must be a whole number 1–5, got ${score}`);
  }
  return RFM_GROUPS[GROUP_BY_SCORES[recency * 11 + frequency + monetary] as number] as RfmGroup;
}

export type RfmInput = {
  /** Counted orders; 0 makes the customer a Prospect. */
  ordersCount: Float64Array;
  /** Net revenue (historical LTV). Statistics only: a float is precise enough to rank. */
  netRevenue: Float64Array;
  /** Time since the last counted order, in any one unit (ignored for Prospects). */
  timeSinceLastOrder: Float64Array;
};

export type RfmSegments = {
  /** Scores 1–5; 0 for Prospects. */
  recency: Uint8Array;
  frequency: Uint8Array;
  monetary: Uint8Array;
  /** Index into RFM_GROUPS. */
  group: Uint8Array;
};

/** Scores and groups for every customer of one shop. */
export function rfmSegments(input: RfmInput): RfmSegments {
  const { ordersCount, netRevenue, timeSinceLastOrder } = input;
  const n = ordersCount.length;
  if (netRevenue.length !== n || timeSinceLastOrder.length !== n) {
    throw new RangeError("rfmSegments: ordersCount, netRevenue and timeSinceLastOrder must have the same length");
  }
  const scored = new Uint8Array(n);
  let scoredCount = 0;
  for (let i = 0; i < n; i++) {
    const orders = ordersCount[i] as number;
    if (!(orders >= 0)) throw new RangeError(`rfmSegments: customer ${i} has ordersCount ${orders}`);
    if (orders > 0) {
      if (!Number.isFinite(timeSinceLastOrder[i] as number) || !Number.isFinite(netRevenue[i] as number)) {
        throw new RangeError(`rfmSegments: customer ${i} needs a finite timeSinceLastOrder and netRevenue`);
      }
      scored[i] = 1;
      scoredCount++;
    }
  }
  const recencyScore = scorer(timeSinceLastOrder, scored, scoredCount, "lowerIsBetter");
  const frequencyScore = scorer(ordersCount, scored, scoredCount, "higherIsBetter");
  const monetaryScore = scorer(netRevenue, scored, scoredCount, "higherIsBetter");

  const recency = new Uint8Array(n);
  const frequency = new Uint8Array(n);
  const monetary = new Uint8Array(n);
  const group = new Uint8Array(n).fill(PROSPECTS_CODE);
  for (let i = 0; i < n; i++) {
    if (scored[i] !== 1) continue;
    const r = recencyScore(timeSinceLastOrder[i] as number);
    const f = frequencyScore(ordersCount[i] as number);
    const m = monetaryScore(netRevenue[i] as number);
    recency[i] = r;
    frequency[i] = f;
    monetary[i] = m;
    group[i] = GROUP_BY_SCORES[r * 11 + f + m] as number;
  }
  return { recency, frequency, monetary, group };
}

/**
 * The score function of one dimension. Score ≥ s ⟺ w ≥ k_s = ⌈(s − 1)(n − 1) / 5⌉ customers are
 * strictly worse ⟺ the value is strictly better than the k_s-th worst value; so four order statistics
 * give every customer's score.
 */
function scorer(values: Float64Array, scored: Uint8Array, n: number, direction: "higherIsBetter" | "lowerIsBetter"): (value: number) => number {
  if (n === 0) return () => 0;
  if (n === 1) return () => 3; // a single customer: nobody better or worse
  const worstFirst = direction === "higherIsBetter";
  // Ranks in ascending order of value: the k-th worst is rank k − 1 (higher is better) or n − k.
  const ranks = [0, n - 1];
  for (let s = 2; s <= 5; s++) {
    const k = Math.floor(((s - 1) * (n - 1) + 4) / 5);
    ranks.push(worstFirst ? k - 1 : n - k);
  }
  const statistics = orderStatistics(values, ranks, scored);
  if (statistics[0] === statistics[1]) return () => 3; // all tied: nobody better or worse
  const thresholds = statistics.slice(2);
  const [t2, t3, t4, t5] = Array.from(thresholds) as [number, number, number, number];
  return worstFirst
    ? (value) => 1 + +(value > t2) + +(value > t3) + +(value > t4) + +(value > t5)
    : (value) => 1 + +(value < t2) + +(value < t3) + +(value < t4) + +(value < t5);
}
