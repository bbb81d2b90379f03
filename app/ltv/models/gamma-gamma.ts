// Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value"), in the
// parametrisation of lifetimes' GammaGammaFitter: a customer's transaction values are Gamma(p, ν)
// with ν ~ Gamma(q, v) across customers, so a customer's mean transaction value is p/ν and the
// population mean is p·v/(q − 1) (finite only for q > 1). Only repeat purchases are modelled.
import { type FitDiagnostics, minimizePositiveFromStarts } from "./optimize";
import { digamma, logGamma } from "./special-functions";

export type GammaGammaParams = { p: number; q: number; v: number };

/** Repeat customers: x repeat purchases with mean value `meanValue`; `weight` default 1. */
export type SpendSummary = {
  x: Float64Array;
  meanValue: Float64Array;
  weight?: Float64Array;
};

export type GammaGammaFit = FitDiagnostics & {
  params: GammaGammaParams;
  /** converged is false also when the best run ended on the parameter box (e.g. p → ∞). */
  /** Rows with x > 0 and meanValue > 0 that entered the fit. */
  customersUsed: number;
  /** Rows left out: x = 0 (no repeat purchase) or meanValue ≤ 0 (outside a Gamma model). */
  customersSkipped: number;
};

export type GammaGammaFitOptions = {
  /** Starting points; by default method of moments plus three spread around the mean value. */
  starts?: readonly GammaGammaParams[];
  maxIterations?: number;
  /** On the per-customer mean log-likelihood, log-parameter scale. Default 1e-9. */
  gradientTolerance?: number;
};

/** Σ weight · ln f(meanValue | x, p, q, v) over the rows with x > 0 and meanValue > 0. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendSummary): number {
  assertParams(params);
  return logLikelihoodKernel(params.p, params.q, params.v, usableRows(data), null);
}

/** ∂/∂(p, q, v) of `gammaGammaLogLikelihood`. */
export function gammaGammaLogLikelihoodGradient(params: GammaGammaParams, data: SpendSummary): GammaGammaParams {
  assertParams(params);
  const gradient = new Float64Array(3);
  logLikelihoodKernel(params.p, params.q, params.v, usableRows(data), gradient);
  return { p: gradient[0] as number, q: gradient[1] as number, v: gradient[2] as number };
}

type UsableRows = { x: Float64Array; meanValue: Float64Array; weight: Float64Array; skipped: number };

/** Copies the rows the model can use, sorted by x so the likelihood reuses its per-x terms. */
function usableRows(data: SpendSummary): UsableRows {
  const { x, meanValue, weight } = data;
  const n = x.length;
  if (meanValue.length !== n || (weight !== undefined && weight.length !== n)) {
    throw new RangeError("spend summary: x, meanValue and weight must have the same length");
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const mi = meanValue[i] as number;
    const wi = weight === undefined ? 1 : (weight[i] as number);
    if (!Number.isInteger(xi) || xi < 0) throw new RangeError(`spend summary row ${i}: x must be a non-negative integer, got ${xi}`);
    if (!Number.isFinite(mi)) throw new RangeError(`spend summary row ${i}: meanValue must be finite, got ${mi}`);
    if (!Number.isFinite(wi) || wi < 0) throw new RangeError(`spend summary row ${i}: weight must be finite and ≥ 0, got ${wi}`);
    if (xi > 0 && mi > 0 && wi > 0) kept.push(i);
  }
  kept.sort((i, j) => (x[i] as number) - (x[j] as number));
  // Plain loops: Float64Array.from with a mapping function is slow on large shops.
  const rows = { x: new Float64Array(kept.length), meanValue: new Float64Array(kept.length), weight: new Float64Array(kept.length) };
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] as number;
    rows.x[k] = x[i] as number;
    rows.meanValue[k] = meanValue[i] as number;
    rows.weight[k] = weight === undefined ? 1 : (weight[i] as number);
  }
  return { ...rows, skipped: n - kept.length };
}

/**
 * ln f = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(x m + v)
 * (lifetimes' GammaGammaFitter likelihood). Writes ∂/∂(p, q, v) into `gradient` when given.
 */
function logLikelihoodKernel(p: number, q: number, v: number, rows: UsableRows, gradient: Float64Array | null): number {
  const { x, meanValue, weight } = rows;
  const logGammaQ = logGamma(q);
  const digammaQ = gradient ? digamma(q) : 0;
  const logV = Math.log(v);
  let total = 0;
  let gradP = 0;
  let gradQ = 0;
  let gradV = 0;
  let currentX = Number.NaN;
  let xTerm = 0; // ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + px ln x
  let logX = 0;
  let digammaPxQ = 0;
  let digammaPx = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const w = weight[i] as number;
    if (xi !== currentX) {
      currentX = xi;
      logX = Math.log(xi);
      xTerm = logGamma(p * xi + q) - logGamma(p * xi) - logGammaQ + q * logV + p * xi * logX;
      if (gradient) {
        digammaPxQ = digamma(p * xi + q);
        digammaPx = digamma(p * xi);
      }
    }
    const m = meanValue[i] as number;
    const logM = Math.log(m);
    const spendPlusV = xi * m + v;
    const logSpendPlusV = Math.log(spendPlusV);
    const shape = p * xi + q;
    total += w * (xTerm + (p * xi - 1) * logM - shape * logSpendPlusV);
    if (gradient) {
      gradP += w * xi * (digammaPxQ - digammaPx + logM + logX - logSpendPlusV);
      gradQ += w * (digammaPxQ - digammaQ + logV - logSpendPlusV);
      gradV += w * (q / v - shape / spendPlusV);
    }
  }
  if (gradient) {
    gradient[0] = gradP;
    gradient[1] = gradQ;
    gradient[2] = gradV;
  }
  return total;
}

// Box on p and q, and on v relative to the mean spend; a fit ending on it is reported unconverged.
const SHAPE_BOUND = 1e6;
const SCALE_BOUND = 1e12;

/**
 * Maximum-likelihood fit from several starting points (method of moments first; stops once two
 * agree), BFGS on the log parameters with the analytic gradient, inside a box that stops p running
 * off to infinity when the data have no spend heterogeneity left to explain.
 */
export function fitGammaGamma(data: SpendSummary, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const rows = usableRows(data);
  let totalWeight = 0;
  let weightedMean = 0;
  for (let i = 0; i < rows.x.length; i++) {
    totalWeight += rows.weight[i] as number;
    weightedMean += (rows.weight[i] as number) * (rows.meanValue[i] as number);
  }
  if (!(totalWeight > 0)) throw new RangeError("fitGammaGamma: no repeat customers with a positive mean value");
  weightedMean /= totalWeight;

  const momentStart = methodOfMomentsStart(rows, weightedMean, totalWeight);
  const starts = options.starts ?? [
    ...(momentStart ? [momentStart] : []),
    { p: 1, q: 2, v: weightedMean },
    { p: 4, q: 4, v: 0.75 * weightedMean },
    { p: 20, q: 10, v: 0.45 * weightedMean },
  ];
  const gradient = new Float64Array(3);
  const objective = (params: Float64Array, out: Float64Array): number => {
    const value = logLikelihoodKernel(params[0] as number, params[1] as number, params[2] as number, rows, gradient);
    for (let k = 0; k < 3; k++) out[k] = -(gradient[k] as number) / totalWeight;
    return -value / totalWeight;
  };
  const lowerBounds = [1 / SHAPE_BOUND, 1 / SHAPE_BOUND, weightedMean / SCALE_BOUND];
  const upperBounds = [SHAPE_BOUND, SHAPE_BOUND, weightedMean * SCALE_BOUND];

  for (const start of starts) assertParams(start);
  const best = minimizePositiveFromStarts(
    objective,
    starts.map((start) => [start.p, start.q, start.v]),
    { maxIterations: options.maxIterations ?? 500, gradientTolerance: options.gradientTolerance ?? 1e-9, lowerBounds, upperBounds },
  );
  return {
    params: { p: best.x[0] as number, q: best.x[1] as number, v: best.x[2] as number },
    logLikelihood: Number.isFinite(best.value) ? -best.value * totalWeight : Number.NEGATIVE_INFINITY,
    converged: best.converged,
    iterations: best.iterations,
    startsRun: best.startsRun,
    gradientNorm: best.gradientNorm,
    message: best.message,
    customersUsed: rows.x.length,
    customersSkipped: rows.skipped,
  };
}

/**
 * Method-of-moments start. Under the model the spread of a customer's mean value around the
 * population mean M is Var(m | x) = M²/(q − 2) · (1 + (q − 1)/(p·x)) (for q > 2), so a weighted
 * least-squares line of (m − M)² on 1/x gives c₀ = M²/(q − 2) and c₁ = c₀·(q − 1)/p. Null when the
 * line does not give positive values.
 */
function methodOfMomentsStart(rows: UsableRows, mean: number, totalWeight: number): GammaGammaParams | null {
  let sumU = 0;
  let sumY = 0;
  let sumUU = 0;
  let sumUY = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const w = rows.weight[i] as number;
    const u = 1 / (rows.x[i] as number);
    const deviation = (rows.meanValue[i] as number) - mean;
    const y = deviation * deviation;
    sumU += w * u;
    sumY += w * y;
    sumUU += w * u * u;
    sumUY += w * u * y;
  }
  const meanU = sumU / totalWeight;
  const meanY = sumY / totalWeight;
  const varianceU = sumUU / totalWeight - meanU * meanU;
  if (!(varianceU > 1e-12)) return null; // every customer has the same x: p and q not separable this way
  const slope = (sumUY / totalWeight - meanU * meanY) / varianceU;
  const intercept = meanY - slope * meanU;
  if (!(intercept > 0) || !(slope > 0)) return null;
  const q = 2 + (mean * mean) / intercept;
  const p = (intercept * (q - 1)) / slope;
  const v = (mean * (q - 1)) / p;
  return [p, q, v].every((value) => Number.isFinite(value) && value > 0) ? { p, q, v } : null;
}

/**
 * E[mean transaction value | x, meanValue] = p·(v + x·meanValue) / (p·x + q − 1): a weighted
 * average of the population mean p·v/(q − 1) and the customer's own mean. With x = 0 it is the
 * population mean. Throws RangeError when that mean does not exist (p·x + q ≤ 1, e.g. x = 0 with
 * q ≤ 1), or for a negative meanValue or a non-integer / negative x.
 */
export function expectedOrderValue(params: GammaGammaParams, x: number, meanValue: number): number {
  assertParams(params);
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x must be a non-negative integer, got ${x}`);
  if (!Number.isFinite(meanValue) || meanValue < 0) throw new RangeError(`meanValue must be finite and ≥ 0, got ${meanValue}`);
  const { p, q, v } = params;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) throw new RangeError(`expected order value undefined: p·x + q − 1 = ${denominator} ≤ 0`);
  return (p * (v + (x === 0 ? 0 : x * meanValue))) / denominator;
}

/** The population mean transaction value p·v/(q − 1), or null when q ≤ 1 (infinite mean). */
export function populationMeanOrderValue(params: GammaGammaParams): number | null {
  assertParams(params);
  return params.q > 1 ? (params.p * params.v) / (params.q - 1) : null;
}

function assertParams(params: GammaGammaParams): void {
  for (const [name, value] of [
    ["p", params.p],
    ["q", params.q],
    ["v", params.v],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`Gamma-Gamma parameter ${name} must be positive and finite, got ${value}`);
  }
}
