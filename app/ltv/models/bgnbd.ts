// BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
//
// Each customer buys at a Poisson rate λ ~ Gamma(r, α) while alive and, after every purchase,
// drops out with probability p ~ Beta(a, b). A customer is summarised by x (repeat purchases),
// t_x (time of the last purchase, from the first) and T (time from the first purchase to the end of
// observation), all in one time unit (days or weeks).
//
// Edge cases, by definition here:
// - x = 0: t_x is ignored (treated as 0); P(alive) = 1 since a customer can only drop out right
//   after a purchase.
// - T = 0 (first purchase at the very end of observation): a brand-new customer; with x = 0 the
//   predictions equal the new-customer ones.
// - Huge x with t_x < T: P(alive) underflows to 0 and so do the expected purchases; never NaN.
import { type FitDiagnostics, minimizePositiveFromStarts } from "./optimize";
import { digamma, log1pExp, logBeta, logGamma } from "./special-functions";

export type BgNbdParams = { r: number; alpha: number; a: number; b: number };

/** Customers as parallel typed arrays. `weight[i]` = how many customers share row i (default 1). */
export type RfmSummary = {
  /** Repeat purchases (purchase days after the first). */
  x: Float64Array;
  /** Time from the first to the last purchase. */
  tx: Float64Array;
  /** Time from the first purchase to the end of observation. */
  T: Float64Array;
  weight?: Float64Array;
};

export type WeightedRfmSummary = Required<RfmSummary>;

export type BgNbdFit = FitDiagnostics & {
  params: BgNbdParams;
  /** logLikelihood: Σ weight · ln L at `params` (Fader, Hardie & Lee's likelihood, no constants dropped). */
};

export type BgNbdFitOptions = {
  /** Starting points; by default four spread around the data's purchase rate. */
  starts?: readonly BgNbdParams[];
  maxIterations?: number;
  /** On the per-customer mean log-likelihood, log-parameter scale. Default 1e-9. */
  gradientTolerance?: number;
};

/** Throws RangeError unless the arrays have equal lengths and every row is a possible customer. */
export function validateRfmSummary(summary: RfmSummary): void {
  const { x, tx, T, weight } = summary;
  const n = x.length;
  if (tx.length !== n || T.length !== n || (weight !== undefined && weight.length !== n)) {
    throw new RangeError("RFM summary: x, tx, T and weight must have the same length");
  }
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const txi = tx[i] as number;
    const Ti = T[i] as number;
    if (!Number.isInteger(xi) || xi < 0) throw new RangeError(`RFM summary row ${i}: x must be a non-negative integer, got ${xi}`);
    if (!Number.isFinite(Ti) || Ti < 0) throw new RangeError(`RFM summary row ${i}: T must be finite and ≥ 0, got ${Ti}`);
    if (xi > 0 && !(txi >= 0 && txi <= Ti)) throw new RangeError(`RFM summary row ${i}: need 0 ≤ tx ≤ T, got tx=${txi}, T=${Ti}`);
    if (weight !== undefined) {
      const w = weight[i] as number;
      if (!Number.isFinite(w) || w < 0) throw new RangeError(`RFM summary row ${i}: weight must be finite and ≥ 0, got ${w}`);
    }
  }
}

/**
 * Groups customers with identical (x, t_x, T) into one weighted row so each distinct likelihood term
 * is computed once (CDNOW: 2,357 customers → about 1,400 rows). Rows come out sorted by x, then t_x,
 * then T, which also lets the likelihood reuse its per-x gamma-function terms. t_x is set to 0 for
 * x = 0, where it does not enter the model.
 */
export function compressSummary(summary: RfmSummary): WeightedRfmSummary {
  validateRfmSummary(summary);
  const { x, T, weight } = summary;
  const n = x.length;
  // Plain loops: Float64Array.from with a mapping function is slow on large shops.
  const tx = new Float64Array(n);
  for (let i = 0; i < n; i++) tx[i] = (x[i] as number) === 0 ? 0 : (summary.tx[i] as number);
  const compare = (i: number, j: number) =>
    (x[i] as number) - (x[j] as number) || (tx[i] as number) - (tx[j] as number) || (T[i] as number) - (T[j] as number);
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (sorted && i > 0 && compare(i - 1, i) > 0) sorted = false;
  }
  // Input already in order (grouped by the caller) skips the O(n log n) comparison sort.
  if (!sorted) order.sort(compare);

  const outX = new Float64Array(n);
  const outTx = new Float64Array(n);
  const outT = new Float64Array(n);
  const outWeight = new Float64Array(n);
  let rows = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const w = weight === undefined ? 1 : (weight[i] as number);
    const previous = rows - 1;
    if (rows > 0 && outX[previous] === x[i] && outTx[previous] === tx[i] && outT[previous] === T[i]) {
      outWeight[previous] = (outWeight[previous] as number) + w;
    } else {
      outX[rows] = x[i] as number;
      outTx[rows] = tx[i] as number;
      outT[rows] = T[i] as number;
      outWeight[rows] = w;
      rows++;
    }
  }
  return { x: outX.slice(0, rows), tx: outTx.slice(0, rows), T: outT.slice(0, rows), weight: outWeight.slice(0, rows) };
}

/** Σ weight · ln L(r, α, a, b | x, t_x, T). */
export function bgnbdLogLikelihood(params: BgNbdParams, summary: RfmSummary): number {
  assertParams(params);
  return logLikelihoodKernel(params.r, params.alpha, params.a, params.b, summary, null);
}

/** ∂/∂(r, α, a, b) of `bgnbdLogLikelihood`. */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, summary: RfmSummary): BgNbdParams {
  assertParams(params);
  const gradient = new Float64Array(4);
  logLikelihoodKernel(params.r, params.alpha, params.a, params.b, summary, gradient);
  return { r: gradient[0] as number, alpha: gradient[1] as number, a: gradient[2] as number, b: gradient[3] as number };
}

/**
 * ln L_i = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *        + ln[ (α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x) ]
 * The gamma-function terms depend on x only and are recomputed only when x changes between rows.
 * Writes the gradient into `gradient` (r, α, a, b) when given.
 */
function logLikelihoodKernel(r: number, alpha: number, a: number, b: number, summary: RfmSummary, gradient: Float64Array | null): number {
  const { x, tx, T, weight } = summary;
  const logAlpha = Math.log(alpha);
  const logGammaR = logGamma(r);
  const logBetaAB = logBeta(a, b);
  const digammaR = gradient ? digamma(r) : 0;
  const digammaB = gradient ? digamma(b) : 0;
  const digammaAB = gradient ? digamma(a + b) : 0;
  const logA = Math.log(a);

  let total = 0;
  let gradR = 0;
  let gradAlpha = 0;
  let gradA = 0;
  let gradB = 0;
  let currentX = Number.NaN;
  let xTerm = 0; // ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
  let logDropoutOdds = 0; // ln(a / (b + x − 1))
  let xGradR = 0;
  let xGradA = 0;
  let xGradB = 0;
  let inverseBxMinus1 = 0;
  for (let i = 0; i < x.length; i++) {
    const w = weight === undefined ? 1 : (weight[i] as number);
    if (w === 0) continue;
    const xi = x[i] as number;
    if (xi !== currentX) {
      currentX = xi;
      xTerm = logGamma(r + xi) - logGammaR + r * logAlpha + logBeta(a, b + xi) - logBetaAB;
      if (xi > 0) {
        inverseBxMinus1 = 1 / (b + xi - 1);
        logDropoutOdds = logA + Math.log(inverseBxMinus1);
      }
      if (gradient) {
        const digammaABx = digamma(a + b + xi);
        xGradR = digamma(r + xi) - digammaR + logAlpha;
        xGradA = digammaAB - digammaABx;
        xGradB = digammaAB + digamma(b + xi) - digammaB - digammaABx;
      }
    }
    const rx = r + xi;
    const logAlphaT = Math.log(alpha + (T[i] as number));
    const aliveTerm = -rx * logAlphaT; // still alive at T
    let logMix: number;
    let aliveShare = 1; // posterior share of the "alive at T" branch
    let logAlphaTx = 0;
    if (xi > 0) {
      logAlphaTx = Math.log(alpha + (tx[i] as number));
      const droppedTerm = logDropoutOdds - rx * logAlphaTx; // dropped out right after t_x
      const difference = aliveTerm - droppedTerm;
      if (difference > 0) {
        const e = Math.exp(-difference);
        aliveShare = 1 / (1 + e);
        logMix = aliveTerm + Math.log1p(e);
      } else {
        const e = Math.exp(difference);
        aliveShare = e / (1 + e);
        logMix = droppedTerm + Math.log1p(e);
      }
    } else {
      logMix = aliveTerm;
    }
    total += w * (xTerm + logMix);
    if (gradient) {
      const droppedShare = 1 - aliveShare;
      gradR += w * (xGradR - aliveShare * logAlphaT - droppedShare * logAlphaTx);
      gradAlpha +=
        w * (r / alpha - rx * (aliveShare / (alpha + (T[i] as number)) + (xi > 0 ? droppedShare / (alpha + (tx[i] as number)) : 0)));
      if (xi > 0) {
        gradA += w * (xGradA + droppedShare / a);
        gradB += w * (xGradB - droppedShare * inverseBxMinus1);
      } else {
        gradA += w * xGradA;
        gradB += w * xGradB;
      }
    }
  }
  if (gradient) {
    gradient[0] = gradR;
    gradient[1] = gradAlpha;
    gradient[2] = gradA;
    gradient[3] = gradB;
  }
  return total;
}

// Generous box on the parameters; ending on it means the data do not pin the model down.
const PARAMETER_BOUND = 1e6;

/**
 * Maximum-likelihood fit from several starting points (until two agree), BFGS on the log parameters
 * with the analytic gradient. The summary is compressed by identical (x, t_x, T) first. `converged` is false when the
 * best run did not meet the gradient test or ended on the parameter box (a → 0, b → ∞, ...).
 */
export function fitBgNbd(summary: RfmSummary, options: BgNbdFitOptions = {}): BgNbdFit {
  const compressed = compressSummary(summary);
  let totalWeight = 0;
  let weightedX = 0;
  let weightedT = 0;
  for (let i = 0; i < compressed.x.length; i++) {
    const w = compressed.weight[i] as number;
    totalWeight += w;
    weightedX += w * (compressed.x[i] as number);
    weightedT += w * (compressed.T[i] as number);
  }
  if (!(totalWeight > 0)) throw new RangeError("fitBgNbd: no customers to fit");

  // α carries the data's time unit: its starts follow the time per purchase, its bounds the mean T.
  const timeScale = Math.max(weightedT / totalWeight, 1e-9);
  const timePerPurchase = (weightedT + 1e-9) / (weightedX + 1);
  const starts = options.starts ?? [
    { r: 1, alpha: timePerPurchase, a: 1, b: 1 },
    { r: 0.5, alpha: 0.5 * timePerPurchase, a: 0.5, b: 2 },
    { r: 0.1, alpha: 0.1 * timePerPurchase, a: 0.3, b: 0.8 },
    { r: 3, alpha: 3 * timePerPurchase, a: 2, b: 8 },
  ];
  const gradient = new Float64Array(4);
  const objective = (p: Float64Array, out: Float64Array): number => {
    const value = logLikelihoodKernel(p[0] as number, p[1] as number, p[2] as number, p[3] as number, compressed, gradient);
    for (let k = 0; k < 4; k++) out[k] = -(gradient[k] as number) / totalWeight;
    return -value / totalWeight;
  };
  const lowerBounds = [1 / PARAMETER_BOUND, timeScale / PARAMETER_BOUND, 1 / PARAMETER_BOUND, 1 / PARAMETER_BOUND];
  const upperBounds = [PARAMETER_BOUND, timeScale * PARAMETER_BOUND, PARAMETER_BOUND, PARAMETER_BOUND];

  for (const start of starts) assertParams(start);
  const best = minimizePositiveFromStarts(
    objective,
    starts.map((start) => [start.r, start.alpha, start.a, start.b]),
    { maxIterations: options.maxIterations ?? 500, gradientTolerance: options.gradientTolerance ?? 1e-9, lowerBounds, upperBounds },
  );
  const params = { r: best.x[0] as number, alpha: best.x[1] as number, a: best.x[2] as number, b: best.x[3] as number };
  // Without any repeat purchase the likelihood does not involve a and b at all.
  const identified = weightedX > 0;
  return {
    params,
    logLikelihood: Number.isFinite(best.value) ? -best.value * totalWeight : Number.NEGATIVE_INFINITY,
    converged: best.converged && identified,
    iterations: best.iterations,
    startsRun: best.startsRun,
    gradientNorm: best.gradientNorm,
    message: identified ? best.message : "no repeat purchases in the data: a and b are not identified",
  };
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 */
export function probabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  assertParams(params);
  assertCustomer(x, tx, T);
  return aliveProbability(params, x, tx, T);
}

function aliveProbability(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  // 1 / (1 + e^logOdds) without overflow
  return Math.exp(-log1pExp(logOdds));
}

/**
 * E[purchases in (T, T + horizon] | x, t_x, T], Fader, Hardie & Lee (2005) eq. 10:
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive)
 */
export function expectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, horizon: number): number {
  assertParams(params);
  assertCustomer(x, tx, T);
  assertHorizon(horizon);
  if (horizon === 0) return 0;
  const alive = aliveProbability(params, x, tx, T);
  if (alive === 0) return 0;
  const { r, alpha, a, b } = params;
  return alive * expectedPurchasesIfAlive(r + x, a, b + x, horizon / (alpha + T));
}

/** E[X(t)]: expected repeat purchases of a customer in the first t time units after the first purchase. */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  assertParams(params);
  assertHorizon(t);
  if (t === 0) return 0;
  return expectedPurchasesIfAlive(params.r, params.a, params.b, t / params.alpha);
}

/** P(X(t) = 0) = (α/(α+t))^r: a new customer makes no repeat purchase in the first t time units. */
export function probabilityNoPurchases(params: BgNbdParams, t: number): number {
  assertParams(params);
  assertHorizon(t);
  return Math.exp(-params.r * Math.log1p(t / params.alpha));
}

/**
 * I = E[(1 − (1 + p·s)^(−A)) / p] for p ~ Beta(a, β): expected purchases over a horizon s (in units
 * of α + T) of a customer alive now, with A = r + x, β = b + x. It equals
 *   (a+β−1)/(a−1) · [1 − 2F1(A, a−1; a+β−1; −s)]
 * i.e. the bracket of FHL eq. 10 after Pfaff's transformation (1 − z)^A 2F1(A, β; C; z) =
 * 2F1(A, a−1; C; z/(z−1)). A second Pfaff step gives an argument z = s/(1+s) in [0, 1):
 *   2F1(A, B; C; −s) = (1+s)^(−B) · 2F1(C−A, B; C; z),  B = a − 1, C = a + β − 1,
 * and dividing the (B)ₙ/(C)ₙ factors of its series by B and C analytically leaves
 *   I = C · (1 − (1+s)^(−B)) / B − (1+s)^(−B) · K,
 *   K = Σ_{n≥1} (C−A)ₙ (B+1)ₙ₋₁ / ((C+1)ₙ₋₁ n!) zⁿ,
 * which has no 0/0 at a = 1 or at a + b + x = 1 and whose terms decay like n^(a−r−x−2) zⁿ.
 * When that series would lose precision (r ≫ a + b, or s so large that z ≈ 1) the integral is
 * computed by tanh-sinh quadrature instead.
 */
function expectedPurchasesIfAlive(A: number, a: number, beta: number, horizonRatio: number): number {
  // Beyond ~1e200 the horizon is effectively infinite; the cap keeps s·p finite in the quadrature.
  const s = Math.min(horizonRatio, 1e200);
  const B = a - 1;
  const C = a + beta - 1;
  const logOnePlusS = Math.log1p(s);
  const z = s / (1 + s);
  let term = (C - A) * z;
  let K = term;
  let sumOfMagnitudes = Math.abs(term);
  let converged = term === 0;
  for (let n = 1; !converged && n < SERIES_MAX_TERMS; n++) {
    const ratio = ((C - A + n) * (B + n) * z) / ((C + n) * (n + 1));
    term *= ratio;
    K += term;
    sumOfMagnitudes += Math.abs(term);
    if (term === 0 || (Math.abs(term) <= 1e-17 * Math.abs(K) && Math.abs(ratio) < 1)) converged = true;
    if (!Number.isFinite(K)) break;
  }
  if (converged) {
    const growth = Math.exp(-B * logOnePlusS); // (1+s)^(1−a)
    const firstPart = C * (B === 0 ? logOnePlusS : -Math.expm1(-B * logOnePlusS) / B);
    const secondPart = growth * K;
    const value = firstPart - secondPart;
    // Rounding error of the subtraction and of the (possibly alternating) series.
    const roundingError = 1e-15 * (Math.abs(firstPart) + growth * sumOfMagnitudes);
    if (Number.isFinite(value) && value > 0 && roundingError <= 1e-10 * value) return value;
  }
  return expectedPurchasesIfAliveByQuadrature(A, a, beta, s);
}

const SERIES_MAX_TERMS = 5_000;

/**
 * The same expectation as a tanh-sinh (double-exponential) quadrature over p ∈ (0, 1). Used only
 * when the series is unsuitable; handles the Beta density's endpoint singularities, any A, any s.
 */
function expectedPurchasesIfAliveByQuadrature(A: number, a: number, beta: number, s: number): number {
  const logNormaliser = -logBeta(a, beta);
  // Integrand in t, Jacobian included: p = (1 + tanh(π/2 sinh t)) / 2, dp/dt = π cosh t · p(1−p).
  const integrand = (t: number): number => {
    const u = 0.5 * Math.PI * Math.sinh(t);
    const logP = -log1pExp(-2 * u);
    const logQ = -log1pExp(2 * u); // ln(1 − p), accurate as p → 1
    const p = Math.exp(logP);
    const ps = p * s;
    const purchases = ps < 1e-300 ? A * s : -Math.expm1(-A * Math.log1p(ps)) / p;
    const logWeight = a * logP + beta * logQ + logNormaliser + Math.log(Math.PI * Math.cosh(t));
    return purchases * Math.exp(logWeight);
  };
  const T_MAX = 20;
  // Sum over the nodes k·h (k ≡ offset mod stride) out to ±T_MAX, stopping once the terms vanish.
  const sumNodes = (h: number, oddOnly: boolean): number => {
    let sum = oddOnly ? 0 : integrand(0);
    for (const sign of [1, -1]) {
      let negligibleRun = 0;
      for (let k = 1; k * h <= T_MAX; k += oddOnly ? 2 : 1) {
        const value = integrand(sign * k * h);
        sum += value;
        if (value <= 1e-18 * Math.abs(sum) && k * h > 1) {
          if (++negligibleRun >= 3) break;
        } else {
          negligibleRun = 0;
        }
      }
    }
    return sum;
  };
  let h = 0.5;
  let nodeSum = sumNodes(h, false);
  let estimate = h * nodeSum;
  for (let level = 1; level <= 10; level++) {
    h /= 2;
    nodeSum += sumNodes(h, true);
    const refined = h * nodeSum;
    const change = Math.abs(refined - estimate);
    estimate = refined;
    if (change <= 1e-12 * Math.abs(estimate)) break;
  }
  return Number.isFinite(estimate) && estimate > 0 ? estimate : 0;
}

function assertParams(params: BgNbdParams): void {
  const { r, alpha, a, b } = params;
  for (const [name, value] of [
    ["r", r],
    ["alpha", alpha],
    ["a", a],
    ["b", b],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`BG/NBD parameter ${name} must be positive and finite, got ${value}`);
  }
}

function assertCustomer(x: number, tx: number, T: number): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x must be a non-negative integer, got ${x}`);
  if (!Number.isFinite(T) || T < 0) throw new RangeError(`T must be finite and ≥ 0, got ${T}`);
  if (x > 0 && !(tx >= 0 && tx <= T)) throw new RangeError(`need 0 ≤ tx ≤ T, got tx=${tx}, T=${T}`);
}

function assertHorizon(horizon: number): void {
  if (!Number.isFinite(horizon) || horizon < 0) throw new RangeError(`horizon must be finite and ≥ 0, got ${horizon}`);
}
