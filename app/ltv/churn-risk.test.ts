import { describe, expect, it } from "vitest";
import { CHURN_RISK_RECENCY_DAYS, CHURN_RISK_THRESHOLDS, churnRiskFromProbabilityAlive, churnRiskFromRecency } from "./churn-risk";

describe("churn risk", () => {
  it("from P(alive): ≥ 0.7 low, 0.3 up to 0.7 medium, below 0.3 high", () => {
    expect(CHURN_RISK_THRESHOLDS).toEqual({ lowAtLeast: 0.7, highBelow: 0.3 });
    expect(churnRiskFromProbabilityAlive(1)).toBe("low");
    expect(churnRiskFromProbabilityAlive(0.7)).toBe("low");
    expect(churnRiskFromProbabilityAlive(0.6999)).toBe("medium");
    expect(churnRiskFromProbabilityAlive(0.3)).toBe("medium");
    expect(churnRiskFromProbabilityAlive(0.2999)).toBe("high");
    expect(churnRiskFromProbabilityAlive(0)).toBe("high");
    expect(() => churnRiskFromProbabilityAlive(Number.NaN)).toThrow(RangeError);
  });

  it("without models, from the days since the last order: up to 180 low, up to 365 medium, longer high", () => {
    expect(CHURN_RISK_RECENCY_DAYS).toEqual({ lowWithin: 180, highAfter: 365 });
    expect(churnRiskFromRecency(0)).toBe("low");
    expect(churnRiskFromRecency(180)).toBe("low");
    expect(churnRiskFromRecency(181)).toBe("medium");
    expect(churnRiskFromRecency(365)).toBe("medium");
    expect(churnRiskFromRecency(366)).toBe("high");
  });
});
