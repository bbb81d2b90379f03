import { describe, expect, it } from "vitest";
import { digamma, gammaSign, hyp2f1, log1pExp, logAddExp, logBeta, logGamma, logSumExp } from "./special-functions";

// Reference values computed with mpmath at 30 digits.
function expectRelative(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(Math.abs(expected), 1e-300));
}

describe("logGamma", () => {
  it.each([
    [1e-8, 18.42068073818021],
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247001],
    [1.5, -0.12078223763524522],
    [3.7, 1.4280723266653879],
    [10, 12.801827480081469],
    [100, 359.1342053695754],
    [12345.678, 103959.91990554606],
    [-0.5, 1.2655121234846454],
    [-2.5, -0.056243716497674054],
  ])("ln|Γ(%s)|", (x, expected) => {
    // Negative x goes through the reflection formula, which cancels digits near the zeros of ln|Γ|.
    expectRelative(logGamma(x), expected, x > 0 ? 1e-14 : 1e-13);
  });

  it("is exactly 0 at 1 and 2 and infinite at the poles", () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    // Full relative accuracy next to the zeros: ln Γ(1 + δ) ≈ −γδ, ln Γ(2 + δ) ≈ (1 − γ)δ.
    expectRelative(logGamma(1 + 1e-9), -5.772157118381039e-10, 1e-13); // mpmath, at the double nearest 1 + 1e-9
    expectRelative(logGamma(2 - 1e-9), -4.227843697573328e-10, 1e-13);
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });

  it("satisfies ln Γ(x + 1) − ln Γ(x) = ln x", () => {
    for (const x of [1e-6, 0.3, 0.5, 0.99, 2.2, 9.5, 10, 47.1, 1e4, 1e8]) {
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(logGamma(x))));
    }
  });

  it("knows the sign of Γ", () => {
    expect(gammaSign(2.5)).toBe(1);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(-2)).toBe(0);
  });
});

describe("digamma", () => {
  it.each([
    [1e-6, -1000000.57721402],
    [0.25, -4.2274535333762655],
    [1, -0.5772156649015329],
    [7.5, 1.9467574842460869],
    [50, 3.901989673427892],
    [1e6, 13.815510057964191],
    [-0.5, 0.03648997397857652],
    [-3.3, 3.6203534605921233],
  ])("ψ(%s)", (x, expected) => {
    expectRelative(digamma(x), expected, 1e-13);
  });

  it("is ~0 at its positive root and NaN at the poles", () => {
    expect(Math.abs(digamma(1.4616321449683622))).toBeLessThan(1e-15);
    expect(digamma(0)).toBeNaN();
    expect(digamma(-2)).toBeNaN();
  });

  it("is the derivative of logGamma", () => {
    for (const x of [0.05, 0.7, 3, 12.5, 300]) {
      const h = 1e-5 * x;
      const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expectRelative(digamma(x), numeric, 1e-7);
    }
  });
});

describe("logBeta, logAddExp, logSumExp, log1pExp", () => {
  it("logBeta matches ln(Γ(a)Γ(b)/Γ(a+b))", () => {
    expectRelative(logBeta(2, 3), Math.log(1 / 12), 1e-14);
    expectRelative(logBeta(0.5, 0.5), Math.log(Math.PI), 1e-14);
  });

  it("does not overflow or underflow", () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-1000, -1001)).toBeCloseTo(-1000 + Math.log1p(Math.exp(-1)), 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, 3)).toBe(3);
    expect(logSumExp([1000, 1000, 1000])).toBeCloseTo(1000 + Math.log(3), 12);
    expect(logSumExp([])).toBe(Number.NEGATIVE_INFINITY);
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(-800)).toBeGreaterThanOrEqual(0);
    expect(log1pExp(0)).toBeCloseTo(Math.LN2, 15);
  });
});

describe("hyp2f1", () => {
  it.each([
    [1, 1, 2, 0.5, 1.3862943611198906], // −ln(1 − z)/z
    [0.3, 2.5, 1.7, -0.3, 0.8938396592951876],
    [0.24, 2.4, 2.2, -10, 0.548854199051604], // Pfaff transformation
    [5, 0.2, 1.3, -50, 0.32060571740173843],
    [2, 3, 4, -0.7, 0.44176271508465437],
    [26.24, 28.43, 28.22, 0.6, 33232145815.535496], // BG/NBD-sized parameters
    [1.5, 0.7, 3.1, 0.95, 1.8314229085355964], // 1 − z connection formula
    [1.5, 0.7, 3.1, 0.999, 2.0977944590564133],
    [0.7, 0.9, 1.6, 0.97, 2.834475113433733], // c − a − b = 0: direct series
    [-3, 2, 1.5, 0.8, -0.06422857142857143], // terminating polynomial
    [0.5, 0.5, 2.5, 1, 1.1780972450961724], // Gauss's theorem at z = 1
  ])("2F1(%s, %s; %s; %s)", (a, b, c, z, expected) => {
    expectRelative(hyp2f1(a, b, c, z), expected, 1e-12);
  });

  it("rejects arguments outside its domain", () => {
    expect(() => hyp2f1(1, 1, 2, 1.5)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 1.5, 1)).toThrow(RangeError);
  });
});
