import { describe, expect, it } from "vitest";
import { minimizeBfgs, minimizePositive, minimizePositiveFromStarts, type ObjectiveWithGradient } from "./optimize";

const rosenbrock: ObjectiveWithGradient = (x, gradient) => {
  const [u, v] = [x[0] as number, x[1] as number];
  gradient[0] = -2 * (1 - u) - 400 * u * (v - u * u);
  gradient[1] = 200 * (v - u * u);
  return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
};

describe("minimizeBfgs", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 7);
    expect(result.x[1]).toBeCloseTo(1, 7);
    expect(result.gradientNorm).toBeLessThanOrEqual(1e-8);
  });

  it("shrinks the step when the objective is not finite", () => {
    // Defined only for x < 2; the minimum of (x − 1.5)² lies inside, the first full step overshoots.
    const fenced: ObjectiveWithGradient = (x, gradient) => {
      const u = x[0] as number;
      gradient[0] = 2 * (u - 1.5);
      return u < 2 ? (u - 1.5) ** 2 : Number.NaN;
    };
    // No step cap, so the first full step (to x = 33) lands where f is NaN.
    const result = minimizeBfgs(fenced, [-30], { maxStep: Number.POSITIVE_INFINITY });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1.5, 6);
    expect(Number.isFinite(result.value)).toBe(true);
  });

  it("reports a non-finite start as a failure, without NaN", () => {
    const result = minimizeBfgs(() => Number.NaN, [1, 2]);
    expect(result.converged).toBe(false);
    expect(result.value).toBe(Number.POSITIVE_INFINITY);
    expect(result.message).toMatch(/not finite/);
  });

  it("stops at a bound and says so", () => {
    const quadratic: ObjectiveWithGradient = (x, gradient) => {
      gradient[0] = 2 * ((x[0] as number) - 5);
      gradient[1] = 2 * ((x[1] as number) - 1);
      return ((x[0] as number) - 5) ** 2 + ((x[1] as number) - 1) ** 2;
    };
    const result = minimizeBfgs(quadratic, [0, 0], { upperBounds: [2, 10] });
    expect(result.atBounds).toBe(true);
    expect(result.converged).toBe(false);
    expect(result.x[0]).toBe(2);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it("reports running out of iterations", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
  });
});

describe("minimizePositive", () => {
  it("optimises on the log scale and keeps parameters positive", () => {
    // f(p, q) = p − 3 ln p + q − 0.5 ln q, minimum at (3, 0.5); gradients with respect to p and q.
    const objective: ObjectiveWithGradient = (x, gradient) => {
      const [p, q] = [x[0] as number, x[1] as number];
      gradient[0] = 1 - 3 / p;
      gradient[1] = 1 - 0.5 / q;
      return p - 3 * Math.log(p) + q - 0.5 * Math.log(q);
    };
    const result = minimizePositive(objective, [100, 1e-4]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 8);
    expect(result.x[1]).toBeCloseTo(0.5, 8);
  });

  it("reports a parameter running off to a bound", () => {
    // Decreasing in p for ever: the fit must stop at the bound and report converged = false.
    const objective: ObjectiveWithGradient = (x, gradient) => {
      gradient[0] = -1 / (x[0] as number);
      return -Math.log(x[0] as number);
    };
    const result = minimizePositive(objective, [1], { upperBounds: [1e6] });
    expect(result.converged).toBe(false);
    expect(result.atBounds).toBe(true);
    expect(result.x[0]).toBeCloseTo(1e6, 0);
  });

  it("rejects non-positive starts", () => {
    expect(() => minimizePositive(() => 0, [0])).toThrow(RangeError);
  });
});

describe("minimizePositiveFromStarts", () => {
  // Two minima on the log scale: θ = ln p, f = (θ² − 1)² + 0.1θ has its lower one near θ = −1.
  const doubleWell: ObjectiveWithGradient = (x, gradient) => {
    const theta = Math.log(x[0] as number);
    gradient[0] = (4 * theta * (theta * theta - 1) + 0.1) / (x[0] as number);
    return (theta * theta - 1) ** 2 + 0.1 * theta;
  };

  it("keeps the best of several starts", () => {
    const result = minimizePositiveFromStarts(doubleWell, [[Math.E], [1 / Math.E]]);
    expect(result.converged).toBe(true);
    expect(Math.log(result.x[0] as number)).toBeCloseTo(-1.0125, 3);
    expect(result.startsRun).toBe(2);
  });

  it("stops once two converged runs agree", () => {
    const result = minimizePositiveFromStarts(doubleWell, [[0.3], [0.4], [5], [7]]);
    expect(result.startsRun).toBe(2);
    expect(Math.log(result.x[0] as number)).toBeLessThan(0);
  });
});
