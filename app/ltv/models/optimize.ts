// BFGS minimisation for smooth objectives of a few variables with analytic gradients, used to fit
// the LTV models by maximum likelihood: backtracking Armijo line search (approximate Wolfe near the
// optimum, where f is flat to rounding), box bounds, positive parameters optimised on the log scale.

/** Returns f(x) and writes ∇f(x) into `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export type MinimizeOptions = {
  /** Default 500. */
  maxIterations?: number;
  /** Converged when the largest |∂f/∂xᵢ| (ignoring components held at a bound) is below this. Default 1e-8. */
  gradientTolerance?: number;
  /** Box constraints on the optimised variables; the iterates never leave the box. */
  lowerBounds?: ArrayLike<number>;
  upperBounds?: ArrayLike<number>;
  /** Largest change of any variable in one iteration. Default 4 (a factor e⁴ ≈ 55 on the log scale). */
  maxStep?: number;
};

export type MinimizeResult = {
  x: Float64Array;
  /** f(x); +Infinity if not even the start could be evaluated. Never NaN. */
  value: number;
  iterations: number;
  evaluations: number;
  /** True only if the gradient test passed with every variable strictly inside its bounds. */
  converged: boolean;
  /** max |∂f/∂xᵢ| at x, over all variables (also those held at a bound). */
  gradientNorm: number;
  /** Some variable ended at a bound with the gradient pushing outwards. */
  atBounds: boolean;
  message: string;
};

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 60;
// Stop when this many iterations in a row lowered f by less than rounding noise: the gradient
// tolerance asked for is below what the objective's precision allows.
const STALL_ITERATIONS = 10;
const APPROXIMATE_WOLFE_NOISE = 1e-12;

/**
 * Quasi-Newton (BFGS, inverse-Hessian form) with a backtracking Armijo line search. Non-finite
 * objective or gradient values at a trial point shrink the step; if no acceptable step is found the
 * search stops and reports converged = false.
 */
export function minimizeBfgs(objective: ObjectiveWithGradient, start: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const maxStep = options.maxStep ?? 4;
  const lower = Float64Array.from({ length: n }, (_, i) => options.lowerBounds?.[i] ?? Number.NEGATIVE_INFINITY);
  const upper = Float64Array.from({ length: n }, (_, i) => options.upperBounds?.[i] ?? Number.POSITIVE_INFINITY);

  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.min(Math.max(start[i] as number, lower[i] as number), upper[i] as number);
  const gradient = new Float64Array(n);
  let value = objective(x, gradient);
  let evaluations = 1;
  if (!Number.isFinite(value) || !allFinite(gradient)) {
    return {
      x,
      value: Number.POSITIVE_INFINITY,
      iterations: 0,
      evaluations,
      converged: false,
      gradientNorm: Number.POSITIVE_INFINITY,
      atBounds: false,
      message: "objective or gradient not finite at the starting point",
    };
  }

  const inverseHessian = identity(n);
  let hessianScaled = false;
  const direction = new Float64Array(n);
  const trial = new Float64Array(n);
  const trialGradient = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);

  let iterations = 0;
  let stalledIterations = 0;
  let message = "maximum iterations reached";
  let stopped = false;
  for (; iterations < maxIterations; iterations++) {
    if (projectedGradientNorm(x, gradient, lower, upper) <= gradientTolerance) {
      message = "gradient below tolerance";
      stopped = true;
      break;
    }

    // d = −H g, then drop components that would push through an active bound.
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum -= (inverseHessian[i * n + j] as number) * (gradient[j] as number);
      direction[i] = sum;
    }
    projectDirection(x, direction, lower, upper);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (H lost positive definiteness or the bounds cut it): restart from −g.
      resetIdentity(inverseHessian, n);
      hessianScaled = false;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
      projectDirection(x, direction, lower, upper);
      slope = dot(gradient, direction);
      if (!(slope < 0)) {
        message = "no descent direction inside the bounds";
        stopped = true;
        break;
      }
    }

    // Initial step: 1, capped so that no variable moves by more than maxStep or leaves the box.
    let step = 1;
    for (let i = 0; i < n; i++) {
      const d = direction[i] as number;
      if (d === 0) continue;
      step = Math.min(step, maxStep / Math.abs(d));
      const room = d > 0 ? (upper[i] as number) - (x[i] as number) : (lower[i] as number) - (x[i] as number);
      step = Math.min(step, room / d);
    }

    let accepted = false;
    let trialValue = Number.NaN;
    for (let k = 0; k < MAX_BACKTRACKS && step > 0; k++) {
      for (let i = 0; i < n; i++) {
        const moved = (x[i] as number) + step * (direction[i] as number);
        trial[i] = Math.min(Math.max(moved, lower[i] as number), upper[i] as number);
      }
      trialValue = objective(trial, trialGradient);
      evaluations++;
      if (!Number.isFinite(trialValue) || !allFinite(trialGradient)) {
        step *= 0.1;
        continue;
      }
      if (trialValue <= value + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      // Near the optimum f can only be compared to within rounding, but the gradient is still
      // accurate: accept a step that keeps f level and satisfies the approximate Wolfe conditions
      // 0.9·φ'(0) ≤ φ'(step) ≤ −0.8·φ'(0) (Hager & Zhang 2005).
      const trialSlope = dot(trialGradient, direction);
      if (trialValue <= value + APPROXIMATE_WOLFE_NOISE * Math.abs(value) && trialSlope >= 0.9 * slope && trialSlope <= -0.8 * slope) {
        accepted = true;
        break;
      }
      // Minimiser of the quadratic through f(0), f'(0) and f(step), kept within [0.1, 0.5]·step.
      const curvature = trialValue - value - slope * step;
      const quadraticStep = curvature > 0 ? (-slope * step * step) / (2 * curvature) : 0.5 * step;
      step = Math.min(Math.max(quadraticStep, 0.1 * step), 0.5 * step);
    }
    if (!accepted) {
      message = "line search found no decrease";
      stopped = true;
      break;
    }

    for (let i = 0; i < n; i++) {
      s[i] = (trial[i] as number) - (x[i] as number);
      y[i] = (trialGradient[i] as number) - (gradient[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!hessianScaled) {
        // Scale the first approximation to the curvature just seen (Nocedal & Wright 6.20).
        const scale = sy / dot(y, y);
        resetIdentity(inverseHessian, n, scale);
        hessianScaled = true;
      }
      updateInverseHessian(inverseHessian, n, s, y, sy, hy);
    }
    const decrease = value - trialValue;
    stalledIterations = decrease <= 4 * Number.EPSILON * Math.abs(value) ? stalledIterations + 1 : 0;
    x.set(trial);
    gradient.set(trialGradient);
    value = trialValue;
    if (stalledIterations >= STALL_ITERATIONS) {
      iterations++;
      message = "no further decrease (rounding noise)";
      stopped = true;
      break;
    }
  }
  if (!stopped) iterations = maxIterations;

  const atBounds = isAtActiveBound(x, gradient, lower, upper);
  const gradientConverged = projectedGradientNorm(x, gradient, lower, upper) <= gradientTolerance;
  return {
    x,
    value,
    iterations,
    evaluations,
    converged: gradientConverged && !atBounds,
    gradientNorm: maxAbs(gradient),
    atBounds,
    message: atBounds ? `${message}; stopped at a bound` : message,
  };
}

export type PositiveMinimizeOptions = Omit<MinimizeOptions, "lowerBounds" | "upperBounds"> & {
  /** Bounds on the parameters themselves (not their logs); defaults 0 and +Infinity. */
  lowerBounds?: ArrayLike<number>;
  upperBounds?: ArrayLike<number>;
};

/**
 * Minimises f over strictly positive parameters by running BFGS on θ = ln(parameter), so every
 * iterate stays positive. `objective` sees and differentiates with respect to the parameters
 * themselves; the result's `x` is on the parameter scale, `gradientNorm` on the log scale.
 */
export function minimizePositive(
  objective: ObjectiveWithGradient,
  start: ArrayLike<number>,
  options: PositiveMinimizeOptions = {},
): MinimizeResult {
  const n = start.length;
  for (let i = 0; i < n; i++) {
    const value = start[i] as number;
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError("minimizePositive: start values must be positive and finite");
  }
  const parameters = new Float64Array(n);
  const parameterGradient = new Float64Array(n);
  const logObjective: ObjectiveWithGradient = (theta, gradient) => {
    for (let i = 0; i < n; i++) parameters[i] = Math.exp(theta[i] as number);
    const value = objective(parameters, parameterGradient);
    // Chain rule: ∂f/∂θᵢ = ∂f/∂pᵢ · pᵢ
    for (let i = 0; i < n; i++) gradient[i] = (parameterGradient[i] as number) * (parameters[i] as number);
    return value;
  };
  const logBound = (bounds: ArrayLike<number> | undefined, fallback: number) =>
    Float64Array.from({ length: n }, (_, i) => {
      const bound = bounds?.[i];
      return bound === undefined ? fallback : Math.log(bound);
    });
  const result = minimizeBfgs(
    logObjective,
    Float64Array.from({ length: n }, (_, i) => Math.log(start[i] as number)),
    {
      ...options,
      lowerBounds: logBound(options.lowerBounds, Number.NEGATIVE_INFINITY),
      upperBounds: logBound(options.upperBounds, Number.POSITIVE_INFINITY),
    },
  );
  return { ...result, x: result.x.map(Math.exp) };
}

export type MultiStartResult = MinimizeResult & { startsRun: number };

/**
 * `minimizePositive` from each start in turn, keeping the lowest value (a converged run wins a tie).
 * Stops early once two converged runs agree on the minimum value to 1e-10 relative: further starts
 * would only find the same optimum again.
 */
export function minimizePositiveFromStarts(
  objective: ObjectiveWithGradient,
  starts: readonly ArrayLike<number>[],
  options: PositiveMinimizeOptions = {},
): MultiStartResult {
  let best: MinimizeResult | null = null;
  let startsRun = 0;
  let agreed = false;
  for (const start of starts) {
    const result = minimizePositive(objective, start, options);
    startsRun++;
    if (best !== null && best.converged && result.converged) {
      agreed = Math.abs(result.value - best.value) <= 1e-10 * Math.max(1, Math.abs(best.value));
    }
    if (best === null || result.value < best.value || (result.value === best.value && result.converged && !best.converged)) {
      best = result;
    }
    if (agreed) break;
  }
  if (best === null) throw new RangeError("minimizePositiveFromStarts: no starting points");
  return { ...best, startsRun };
}

function identity(n: number): Float64Array {
  const matrix = new Float64Array(n * n);
  resetIdentity(matrix, n);
  return matrix;
}

function resetIdentity(matrix: Float64Array, n: number, scale = 1): void {
  matrix.fill(0);
  for (let i = 0; i < n; i++) matrix[i * n + i] = scale;
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(yᵀs), expanded to avoid temporaries. */
function updateInverseHessian(h: Float64Array, n: number, s: Float64Array, y: Float64Array, sy: number, hy: Float64Array): void {
  const rho = 1 / sy;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (h[i * n + j] as number) * (y[j] as number);
    hy[i] = sum;
  }
  const yhy = dot(y, hy);
  const factor = (1 + rho * yhy) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const si = s[i] as number;
      const sj = s[j] as number;
      h[i * n + j] = (h[i * n + j] as number) + factor * si * sj - rho * ((hy[i] as number) * sj + si * (hy[j] as number));
    }
  }
}

function projectDirection(x: Float64Array, direction: Float64Array, lower: Float64Array, upper: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const d = direction[i] as number;
    if ((d < 0 && (x[i] as number) <= (lower[i] as number)) || (d > 0 && (x[i] as number) >= (upper[i] as number))) direction[i] = 0;
  }
}

/** Gradient norm ignoring components held at a bound by a gradient that points out of the box. */
function projectedGradientNorm(x: Float64Array, gradient: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    const g = gradient[i] as number;
    const heldAtLower = (x[i] as number) <= (lower[i] as number) && g > 0;
    const heldAtUpper = (x[i] as number) >= (upper[i] as number) && g < 0;
    if (!heldAtLower && !heldAtUpper) norm = Math.max(norm, Math.abs(g));
  }
  return norm;
}

function isAtActiveBound(x: Float64Array, gradient: Float64Array, lower: Float64Array, upper: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) {
    const g = gradient[i] as number;
    if ((x[i] as number) <= (lower[i] as number) && g >= 0) return true;
    if ((x[i] as number) >= (upper[i] as number) && g <= 0) return true;
  }
  return false;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  return max;
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false;
  return true;
}

/** What every maximum-likelihood fit reports besides its parameters. */
export type FitDiagnostics = {
  logLikelihood: number;
  converged: boolean;
  /** BFGS iterations of the best start. */
  iterations: number;
  /** Starting points tried (the search stops once two converged runs agree). */
  startsRun: number;
  /** max |∂(−mean ln L)/∂ ln θ| at the optimum. */
  gradientNorm: number;
  message: string;
};
