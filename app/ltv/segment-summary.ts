// Segment summaries: from each customer's segments and values to the figures of every RFM group,
// value tier and churn-risk level — customers, share of revenue, average historical LTV, average
// predicted CLV — and their change between two dates. Pure: the report builder
// (app/reports/segments.server.ts) feeds it the Customer table's figures for "now" and the scoring
// pipeline's for one month earlier.
//
// Money stays exact. Partial sums arrive as decimals (from SQL), or are built here from the
// pipeline's per-customer floats: each customer's value is rounded to 4 decimal places (what the
// NUMERIC(20,4) columns hold) and added as a whole number of ten-thousandths, which is exact far
// beyond any shop's revenue. Averages and changes are rounded to cents, half away from zero; a change
// is the difference of the two rounded figures, so "was + change = now" holds on screen.
import { CHURN_RISKS, type ChurnRisk, type ChurnRiskBasis } from "./churn-risk";
import { Decimal, type Money, ZERO, formatAmount } from "./money";
import { RFM_GROUPS, type RfmGroup } from "./rfm";
import { VALUE_TIERS, type ValueBasis, type ValueTier } from "./value-tiers";

/** Customers sharing one combination of segments, with their summed values. `null`: not scored. */
export type SegmentCell = {
  rfmGroup: RfmGroup | null;
  valueTier: ValueTier | null;
  churnRisk: ChurnRisk | null;
  customers: number;
  /** Σ net revenue (historical LTV), shop money. */
  netRevenue: Money;
  /** Customers with a predicted CLV, and Σ of those predictions. */
  predictedCustomers: number;
  predictedClv: Money;
};

/** Per-customer results of the scoring pipeline (app/ltv/score-shop.ts), one entry per customer. */
export type CustomerSegmentScores = {
  /** Codes into RFM_GROUPS. */
  rfmGroup: ArrayLike<number>;
  /** Codes into VALUE_TIERS. */
  valueTier: ArrayLike<number>;
  /** Codes into CHURN_RISKS. */
  churnRisk: ArrayLike<number>;
  netRevenue: ArrayLike<number>;
  /** Predicted CLV; null when the shop has no predictions. A non-finite value counts as no prediction. */
  predictedClv: ArrayLike<number> | null;
};

const UNITS_PER_CURRENCY_UNIT = 10_000;

/** The customers' scores added up per (group, tier, risk) combination, in one pass, exactly. */
export function segmentCells(scores: CustomerSegmentScores): SegmentCell[] {
  const { rfmGroup, valueTier, churnRisk, netRevenue, predictedClv } = scores;
  const n = rfmGroup.length;
  for (const [name, column] of Object.entries({ valueTier, churnRisk, netRevenue })) {
    if (column.length !== n) throw new RangeError(`segmentCells: ${name} must have one value per customer`);
  }
  if (predictedClv && predictedClv.length !== n) throw new RangeError("segmentCells: predictedClv must have one value per customer");
  const tiers = VALUE_TIERS.length;
  const risks = CHURN_RISKS.length;
  const size = RFM_GROUPS.length * tiers * risks;
  const customers = new Float64Array(size);
  const revenueUnits = new Float64Array(size);
  const predicted = new Float64Array(size);
  const predictedUnits = new Float64Array(size);
  let absoluteUnits = 0;
  for (let i = 0; i < n; i++) {
    const group = rfmGroup[i] as number;
    const tier = valueTier[i] as number;
    const risk = churnRisk[i] as number;
    if (!(group >= 0 && group < RFM_GROUPS.length && tier >= 0 && tier < tiers && risk >= 0 && risk < risks)) {
      throw new RangeError(`segmentCells: customer ${i} has an unknown segment code (${group}, ${tier}, ${risk})`);
    }
    const revenue = netRevenue[i] as number;
    if (!Number.isFinite(revenue)) throw new RangeError(`segmentCells: customer ${i} has net revenue ${revenue}`);
    const cell = (group * tiers + tier) * risks + risk;
    const units = Math.round(revenue * UNITS_PER_CURRENCY_UNIT);
    customers[cell] = (customers[cell] as number) + 1;
    revenueUnits[cell] = (revenueUnits[cell] as number) + units;
    absoluteUnits += Math.abs(units);
    const clv = predictedClv ? (predictedClv[i] as number) : Number.NaN;
    if (Number.isFinite(clv)) {
      const clvUnits = Math.round(clv * UNITS_PER_CURRENCY_UNIT);
      predicted[cell] = (predicted[cell] as number) + 1;
      predictedUnits[cell] = (predictedUnits[cell] as number) + clvUnits;
      absoluteUnits += Math.abs(clvUnits);
    }
  }
  // Every partial sum is bounded by the sum of absolute values: below 2^53 they are all exact.
  if (absoluteUnits > Number.MAX_SAFE_INTEGER) throw new RangeError("segmentCells: amounts too large to add exactly");
  const cells: SegmentCell[] = [];
  for (let cell = 0; cell < size; cell++) {
    if (customers[cell] === 0) continue;
    const risk = cell % risks;
    const tier = Math.floor(cell / risks) % tiers;
    const group = Math.floor(cell / (risks * tiers));
    cells.push({
      rfmGroup: RFM_GROUPS[group] as RfmGroup,
      valueTier: VALUE_TIERS[tier] as ValueTier,
      churnRisk: CHURN_RISKS[risk] as ChurnRisk,
      customers: customers[cell] as number,
      netRevenue: new Decimal(revenueUnits[cell] as number).div(UNITS_PER_CURRENCY_UNIT),
      predictedCustomers: predicted[cell] as number,
      predictedClv: new Decimal(predictedUnits[cell] as number).div(UNITS_PER_CURRENCY_UNIT),
    });
  }
  return cells;
}

/** One segment's figures on one date. Money as decimal strings with two places. */
export type SegmentFigures = {
  customers: number;
  /** Σ net revenue (historical LTV) of the segment's customers. */
  netRevenue: string;
  /** The segment's net revenue ÷ the shop's (guest orders included); null when the shop's is not positive. */
  revenueShare: number | null;
  /** Null without customers. */
  averageHistoricalLtv: string | null;
  /** Average over the segment's customers with a prediction; null when none has one. */
  averagePredictedClv: string | null;
};

/** Now − then, for each figure; null where either side is missing. */
export type SegmentChange = {
  customers: number;
  /** Difference of the two shares: 0.012 = 1.2 percentage points. */
  revenueShare: number | null;
  averageHistoricalLtv: string | null;
  averagePredictedClv: string | null;
};

export type SegmentRow<Key extends string> = {
  key: Key;
  now: SegmentFigures;
  /** The same figures one month earlier; null when they cannot be known (see `comparison`). */
  previous: SegmentFigures | null;
  change: SegmentChange | null;
};

export type ChurnRiskRow = { key: ChurnRisk; customers: number; previous: number | null; change: number | null };

/** What the segments page shows, stored in ShopReport.segments (JSON). */
export type SegmentsReport = {
  version: 1;
  /** The date the figures describe (the refit's observation end), YYYY-MM-DD. */
  asOf: string;
  /** One month earlier: the date the changes are measured from, YYYY-MM-DD. */
  previousAsOf: string;
  /** "compared", or "no_earlier_orders" when the shop had no counted order with a customer by previousAsOf (every change is then null). */
  comparison: "compared" | "no_earlier_orders";
  /** Months ahead the predicted CLV covers (the shop's prediction horizon). */
  predictionHorizonMonths: number;
  /** Whether the models made predictions now, and one month earlier (null when not compared). */
  predictions: boolean;
  previousPredictions: boolean | null;
  /** Value tiers rank by predicted CLV when there are predictions, else by net revenue. */
  valueTierBasis: ValueBasis;
  previousValueTierBasis: ValueBasis | null;
  /** Churn risk from P(alive) with predictions, else from days since the last order. */
  churnRiskBasis: ChurnRiskBasis;
  previousChurnRiskBasis: ChurnRiskBasis | null;
  /** Customers in an RFM group (Prospects included). */
  customers: number;
  /** Customers with a counted order. */
  customersWithOrders: number;
  /** Customers without a segment yet (arrived after the last scoring); in no row below. */
  unscoredCustomers: number;
  /** The shop's net revenue: every counted order, guest orders included. */
  netRevenue: string;
  /** Orders without a customer: part of the shop's revenue, in no segment. */
  guestOrders: { netRevenue: string; revenueShare: number | null; previousRevenueShare: number | null; revenueShareChange: number | null };
  /** Every RFM group, in RFM_GROUPS order (best first, Prospects last). */
  rfmGroups: SegmentRow<RfmGroup>[];
  /** Every value tier, in VALUE_TIERS order; customers with a counted order only. */
  valueTiers: SegmentRow<ValueTier>[];
  /** Low, medium, high; customers with a counted order only. */
  churnRisk: ChurnRiskRow[];
};

/** The segments of a shop on one date. */
export type SegmentSnapshot = {
  asOf: string;
  predictions: boolean;
  /**
   * Whether Prospects (customers without a counted order) can be counted on this date. Customers have
   * no creation date, so a snapshot rebuilt from orders cannot tell who was already a customer then.
   */
  prospectsKnown: boolean;
  customers: number;
  customersWithOrders: number;
  unscoredCustomers: number;
  netRevenue: Money;
  guestNetRevenue: Money;
  rfm: Record<RfmGroup, SegmentFigures>;
  tiers: Record<ValueTier, SegmentFigures>;
  churn: Record<ChurnRisk, number>;
};

type Totals = { customers: number; netRevenue: Money; predictedCustomers: number; predictedClv: Money };

const emptyTotals = (): Totals => ({ customers: 0, netRevenue: ZERO, predictedCustomers: 0, predictedClv: ZERO });

function add(totals: Totals, cell: SegmentCell): void {
  totals.customers += cell.customers;
  totals.netRevenue = totals.netRevenue.plus(cell.netRevenue);
  totals.predictedCustomers += cell.predictedCustomers;
  totals.predictedClv = totals.predictedClv.plus(cell.predictedClv);
}

const average = (sum: Money, count: number): string | null => (count > 0 ? formatAmount(sum.div(count)) : null);

function figures(totals: Totals, shopNetRevenue: Money): SegmentFigures {
  return {
    customers: totals.customers,
    netRevenue: formatAmount(totals.netRevenue),
    revenueShare: share(totals.netRevenue, shopNetRevenue),
    averageHistoricalLtv: average(totals.netRevenue, totals.customers),
    averagePredictedClv: average(totals.predictedClv, totals.predictedCustomers),
  };
}

const share = (part: Money, whole: Money): number | null => (whole.greaterThan(0) ? part.div(whole).toNumber() : null);

function byKey<Key extends string>(keys: readonly Key[]): Record<Key, Totals> {
  return Object.fromEntries(keys.map((key) => [key, emptyTotals()])) as Record<Key, Totals>;
}

/** The figures of every segment on one date, from the cells of that date and the guest orders' revenue. */
export function segmentSnapshot(
  cells: readonly SegmentCell[],
  options: { asOf: string; guestNetRevenue: Money; prospectsKnown: boolean },
): SegmentSnapshot {
  const rfm = byKey(RFM_GROUPS);
  const tiers = byKey(VALUE_TIERS);
  const churn = Object.fromEntries(CHURN_RISKS.map((risk) => [risk, 0])) as Record<ChurnRisk, number>;
  let netRevenue = options.guestNetRevenue;
  let unscoredCustomers = 0;
  let predictedCustomers = 0;
  for (const cell of cells) {
    if (!(Number.isInteger(cell.customers) && cell.customers >= 0)) throw new RangeError(`segmentSnapshot: a cell has ${cell.customers} customers`);
    netRevenue = netRevenue.plus(cell.netRevenue);
    predictedCustomers += cell.predictedCustomers;
    if (cell.rfmGroup === null) {
      unscoredCustomers += cell.customers;
      continue;
    }
    add(rfm[cell.rfmGroup], cell);
    if (cell.valueTier !== null) add(tiers[cell.valueTier], cell);
    if (cell.churnRisk !== null) churn[cell.churnRisk] += cell.customers;
  }
  const customers = RFM_GROUPS.reduce((sum, group) => sum + rfm[group].customers, 0);
  return {
    asOf: options.asOf,
    predictions: predictedCustomers > 0,
    prospectsKnown: options.prospectsKnown,
    customers,
    customersWithOrders: customers - rfm.prospects.customers,
    unscoredCustomers,
    netRevenue,
    guestNetRevenue: options.guestNetRevenue,
    rfm: mapValues(rfm, (totals) => figures(totals, netRevenue)),
    tiers: mapValues(tiers, (totals) => figures(totals, netRevenue)),
    churn,
  };
}

function mapValues<Key extends string, From, To>(record: Record<Key, From>, map: (value: From) => To): Record<Key, To> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value as From)])) as Record<Key, To>;
}

const moneyChange = (now: string | null, then: string | null): string | null =>
  now === null || then === null ? null : formatAmount(new Decimal(now).minus(then));

const numberChange = (now: number | null, then: number | null): number | null => (now === null || then === null ? null : now - then);

export function segmentChange(now: SegmentFigures, then: SegmentFigures): SegmentChange {
  return {
    customers: now.customers - then.customers,
    revenueShare: numberChange(now.revenueShare, then.revenueShare),
    averageHistoricalLtv: moneyChange(now.averageHistoricalLtv, then.averageHistoricalLtv),
    averagePredictedClv: moneyChange(now.averagePredictedClv, then.averagePredictedClv),
  };
}

function rows<Key extends string>(keys: readonly Key[], now: Record<Key, SegmentFigures>, then: Record<Key, SegmentFigures> | null, comparable: (key: Key) => boolean): SegmentRow<Key>[] {
  return keys.map((key) => {
    const previous = then && comparable(key) ? then[key] : null;
    return { key, now: now[key], previous, change: previous ? segmentChange(now[key], previous) : null };
  });
}

/** One calendar month before `isoDate` (YYYY-MM-DD, UTC), the day clamped to the month's end: 03-31 → 02-28. */
export function oneMonthEarlier(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) throw new RangeError(`oneMonthEarlier: not a YYYY-MM-DD date: ${isoDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const lastDayOfPreviousMonth = new Date(Date.UTC(year, month - 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 2, Math.min(day, lastDayOfPreviousMonth))).toISOString().slice(0, 10);
}

/**
 * The report: now's figures, one month earlier's, and the change. A snapshot without a customer with
 * a counted order is no comparison (every change null). Value tiers and churn risk are compared only
 * when both dates rank on the same basis (predictions on both, or on neither); Prospects only when
 * the earlier snapshot can count them.
 */
export function segmentsReport(
  now: SegmentSnapshot,
  earlier: SegmentSnapshot | null,
  options: { previousAsOf: string; predictionHorizonMonths: number },
): SegmentsReport {
  const previous = earlier && earlier.customersWithOrders > 0 ? earlier : null;
  const sameBasis = previous !== null && previous.predictions === now.predictions;
  const tierBasis = (predictions: boolean): ValueBasis => (predictions ? "predicted" : "historical");
  const churnBasis = (predictions: boolean): ChurnRiskBasis => (predictions ? "probabilityAlive" : "recency");
  const guestShare = share(now.guestNetRevenue, now.netRevenue);
  const previousGuestShare = previous ? share(previous.guestNetRevenue, previous.netRevenue) : null;
  return {
    version: 1,
    asOf: now.asOf,
    previousAsOf: options.previousAsOf,
    comparison: previous ? "compared" : "no_earlier_orders",
    predictionHorizonMonths: options.predictionHorizonMonths,
    predictions: now.predictions,
    previousPredictions: previous ? previous.predictions : null,
    valueTierBasis: tierBasis(now.predictions),
    previousValueTierBasis: previous ? tierBasis(previous.predictions) : null,
    churnRiskBasis: churnBasis(now.predictions),
    previousChurnRiskBasis: previous ? churnBasis(previous.predictions) : null,
    customers: now.customers,
    customersWithOrders: now.customersWithOrders,
    unscoredCustomers: now.unscoredCustomers,
    netRevenue: formatAmount(now.netRevenue),
    guestOrders: {
      netRevenue: formatAmount(now.guestNetRevenue),
      revenueShare: guestShare,
      previousRevenueShare: previousGuestShare,
      revenueShareChange: numberChange(guestShare, previousGuestShare),
    },
    rfmGroups: rows(RFM_GROUPS, now.rfm, previous?.rfm ?? null, (group) => group !== "prospects" || (previous?.prospectsKnown ?? false)),
    valueTiers: rows(VALUE_TIERS, now.tiers, previous?.tiers ?? null, () => sameBasis),
    churnRisk: CHURN_RISKS.map((risk) => {
      const before = previous && sameBasis ? previous.churn[risk] : null;
      return { key: risk, customers: now.churn[risk], previous: before, change: before === null ? null : now.churn[risk] - before };
    }),
  };
}

/** Whether a stored JSON value is a report this code can show (an older shape is not). */
export function isSegmentsReport(value: unknown): value is SegmentsReport {
  if (typeof value !== "object" || value === null) return false;
  const report = value as Partial<SegmentsReport>;
  return (
    report.version === 1 &&
    Array.isArray(report.rfmGroups) &&
    report.rfmGroups.length === RFM_GROUPS.length &&
    Array.isArray(report.valueTiers) &&
    report.valueTiers.length === VALUE_TIERS.length &&
    Array.isArray(report.churnRisk) &&
    report.churnRisk.length === CHURN_RISKS.length
  );
}
