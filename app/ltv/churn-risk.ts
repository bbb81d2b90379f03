// Churn risk low / medium / high. With fitted models it comes from the BG/NBD probability that the
// customer is still "alive" (will buy again); without them (too little data) from the days since the
// last order, and the result says which basis was used.
//
// A BG/NBD caveat the UI should show: the model lets a customer drop out only right after a repeat
// purchase, so a customer with a single order has P(alive) = 1 and is always "low" risk on the model
// basis, however long ago that order was.

export type ChurnRisk = "low" | "medium" | "high";

/** Every risk level; a level's index here is its code in the scoring pipeline's arrays. */
export const CHURN_RISKS = ["low", "medium", "high"] as const satisfies readonly ChurnRisk[];

/**
 * P(alive) ≥ 0.7 → low; 0.3 ≤ P(alive) < 0.7 → medium; P(alive) < 0.3 → high. Symmetric around
 * an even chance, with a wide middle band: the model is least sure there.
 */
export const CHURN_RISK_THRESHOLDS = { lowAtLeast: 0.7, highBelow: 0.3 } as const;

/**
 * Fallback without models: last order within 180 days → low; 181–365 days → medium; longer → high.
 * 365 days matches the yearly churn used by the formula LTV (no order in the last 365 days).
 */
export const CHURN_RISK_RECENCY_DAYS = { lowWithin: 180, highAfter: 365 } as const;

export type ChurnRiskBasis = "probabilityAlive" | "recency";

export function churnRiskFromProbabilityAlive(probabilityAlive: number): ChurnRisk {
  if (!(probabilityAlive >= 0 && probabilityAlive <= 1)) throw new RangeError(`P(alive) must be within [0, 1], got ${probabilityAlive}`);
  if (probabilityAlive >= CHURN_RISK_THRESHOLDS.lowAtLeast) return "low";
  if (probabilityAlive >= CHURN_RISK_THRESHOLDS.highBelow) return "medium";
  return "high";
}

export function churnRiskFromRecency(daysSinceLastOrder: number): ChurnRisk {
  if (!(daysSinceLastOrder >= 0)) throw new RangeError(`days since last order must be ≥ 0, got ${daysSinceLastOrder}`);
  if (daysSinceLastOrder <= CHURN_RISK_RECENCY_DAYS.lowWithin) return "low";
  if (daysSinceLastOrder <= CHURN_RISK_RECENCY_DAYS.highAfter) return "medium";
  return "high";
}

export function churnRiskCode(risk: ChurnRisk): number {
  return CHURN_RISKS.indexOf(risk);
}
