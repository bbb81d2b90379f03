// Special functions for the probabilistic LTV models: log-gamma, digamma, log-beta, log-sum-exp and
// the Gauss hypergeometric function 2F1. Plain double-precision code, no dependencies.

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const LOG_PI = Math.log(Math.PI);

// From here on the asymptotic (Stirling) series of log-gamma and digamma are accurate to about 1e-17.
const ASYMPTOTIC_THRESHOLD = 10;

/**
 * ln|Γ(x)|. Stirling's series for x ≥ 10; below that the recurrence Γ(x + 1) = xΓ(x) moves x into
 * [1.5, 2.5), where the Taylor series of ln Γ around 2 is used (so the zeros at 1 and 2 keep full
 * relative accuracy); reflection for x < 0. Relative error a few 1e-16 for x > 0.
 * +Infinity at 0 and the negative integers.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
    // Γ(x) Γ(1 − x) = π / sin(πx); logs kept apart so that tiny |x| does not overflow π/sin(πx).
    return LOG_PI - Math.log(Math.abs(sinPi(x))) - logGamma(1 - x);
  }
  if (x >= ASYMPTOTIC_THRESHOLD) return stirlingLogGamma(x);
  let y = x;
  let product = 1;
  if (y < 1.5) {
    // ln Γ(x) = ln Γ(x + k) − ln(x (x + 1) … (x + k − 1))
    while (y < 1.5) {
      product *= y;
      y += 1;
    }
    return logGammaNearTwo(y - 2) - Math.log(product);
  }
  // ln Γ(x) = ln Γ(x − k) + ln((x − 1) … (x − k))
  while (y >= 2.5) {
    y -= 1;
    product *= y;
  }
  return logGammaNearTwo(y - 2) + Math.log(product);
}

const EULER_GAMMA = 0.5772156649015329;

// ζ(k) − 1 for k = 2..29 (mpmath), the coefficients of the Taylor series of ln Γ around 2.
const ZETA_MINUS_ONE = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853, 0.0004941886041194645,
  0.0002460865533080483, 0.00012271334757848915, 6.124813505870483e-05, 3.058823630702049e-05, 1.528225940865187e-05,
  7.637197637899763e-06, 3.81729326499984e-06, 1.908212716553939e-06, 9.539620338727962e-07, 4.769329867878064e-07,
  2.38450502727733e-07, 1.1921992596531106e-07, 5.960818905125948e-08, 2.980350351465228e-08, 1.490155482836504e-08,
  7.45071178983543e-09, 3.725334024788457e-09, 1.862659723513049e-09,
];

/** ln Γ(2 + ε) = (1 − γ)ε + Σ_{k≥2} (ζ(k) − 1)(−ε)^k / k, for |ε| ≤ 0.5 (terms fall like 4^−k). */
function logGammaNearTwo(epsilon: number): number {
  const minusEpsilon = -epsilon;
  let series = 0;
  for (let k = ZETA_MINUS_ONE.length + 1; k >= 2; k--) {
    series = (series + (ZETA_MINUS_ONE[k - 2] as number) / k) * minusEpsilon;
  }
  return (1 - EULER_GAMMA) * epsilon + series * minusEpsilon;
}

function stirlingLogGamma(y: number): number {
  const inverse = 1 / y;
  const inverseSquared = inverse * inverse;
  // Σ B_2k / (2k (2k − 1) y^(2k − 1)), k = 1..8, evaluated by Horner's rule in 1/y².
  const series =
    inverse *
    (1 / 12 +
      inverseSquared *
        (-1 / 360 +
          inverseSquared *
            (1 / 1260 +
              inverseSquared *
                (-1 / 1680 +
                  inverseSquared *
                    (1 / 1188 +
                      inverseSquared * (-691 / 360360 + inverseSquared * (1 / 156 + inverseSquared * (-3617 / 122400))))))));
  return (y - 0.5) * Math.log(y) - y + HALF_LOG_TWO_PI + series;
}

/** sin(πx) with the argument reduced first, so that sin(π·n) is exactly 0 for integers n. */
function sinPi(x: number): number {
  const reduced = x - 2 * Math.floor(x / 2); // in [0, 2)
  if (reduced === 0 || reduced === 1) return 0;
  if (reduced === 0.5) return 1;
  if (reduced === 1.5) return -1;
  return Math.sin(Math.PI * reduced);
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles for x < 0, 0 at the poles. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * ψ(x) = d/dx ln Γ(x). Asymptotic series for x ≥ 10, recurrence below, reflection for x ≤ 0.
 * NaN at the poles (0 and the negative integers).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x <= 0) {
    if (Number.isInteger(x)) return Number.NaN;
    // ψ(x) = ψ(1 − x) − π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * (x - Math.round(x)));
  }
  let y = x;
  let shift = 0;
  while (y < ASYMPTOTIC_THRESHOLD) {
    shift -= 1 / y;
    y += 1;
  }
  const inverseSquared = 1 / (y * y);
  // Σ B_2k / (2k y^2k), k = 1..7
  const series =
    inverseSquared *
    (1 / 12 +
      inverseSquared *
        (-1 / 120 +
          inverseSquared *
            (1 / 252 +
              inverseSquared * (-1 / 240 + inverseSquared * (1 / 132 + inverseSquared * (-691 / 32760 + inverseSquared * (1 / 12)))))));
  return shift + Math.log(y) - 0.5 / y - series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln(e^a + e^b) without overflow; −Infinity only if both are −Infinity. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln Σ e^(values[i]) without overflow; −Infinity for an empty list. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value > max) max = value;
  }
  if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp((values[i] as number) - max);
  return max + Math.log(sum);
}

/** ln(1 + e^y), the softplus, without overflow or loss of precision for large |y|. */
export function log1pExp(y: number): number {
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

export type HypergeometricOptions = {
  /** Stop summing once a term is below this fraction of the running sum. Default 1e-16. */
  tolerance?: number;
  /** Give up (throw) after this many terms. Default 100,000. */
  maxTerms?: number;
};

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for real arguments and z ≤ 1.
 *
 * - |z| small: the defining series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ.
 * - z < −0.5: Pfaff's transformation to w = z / (z − 1) ∈ (1/3, 1), choosing of the two forms the one
 *   whose series decays faster, so the argument is never below −1 (where the series diverges).
 * - z > 0.9: the connection formula in 1 − z, unless c − a − b is (nearly) an integer, where it is
 *   singular; then the direct series is summed (slowly) instead.
 * - z = 1: Gauss's theorem Γ(c)Γ(c − a − b) / (Γ(c − a)Γ(c − b)) when c − a − b > 0.
 *
 * Throws RangeError for z > 1, for z = 1 with c − a − b ≤ 0 (the sum diverges) and for c a
 * non-positive integer; throws Error if a series fails to converge within `maxTerms`.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, options: HypergeometricOptions = {}): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError("hyp2f1: arguments must be finite");
  if (c <= 0 && Number.isInteger(c)) throw new RangeError("hyp2f1: c must not be a non-positive integer");
  if (z > 1) throw new RangeError("hyp2f1: z must be ≤ 1");
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    if (c - a - b <= 0) throw new RangeError("hyp2f1: diverges at z = 1 when c − a − b ≤ 0");
    return gammaRatio([c, c - a - b], [c - a, c - b]);
  }
  if (z < -0.5) {
    const w = z / (z - 1);
    // Terms of the transformed series behave like n^(a − b − 1) wⁿ (first form) or n^(b − a − 1) wⁿ.
    // w close to 1 (z ≪ −1) is handed on to the 1 − w connection formula below.
    return a <= b ? Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w, options) : Math.pow(1 - z, -b) * hyp2f1(c - a, b, c, w, options);
  }
  if (z > 0.9) {
    const excess = c - a - b;
    if (Math.abs(excess - Math.round(excess)) > 1e-4) {
      const oneMinusZ = 1 - z;
      const first = gammaRatio([c, excess], [c - a, c - b]);
      const second = gammaRatio([c, -excess], [a, b]);
      const firstSeries = first === 0 ? 0 : first * hyp2f1Series(a, b, 1 - excess, oneMinusZ, options);
      const secondSeries =
        second === 0 ? 0 : second * Math.pow(oneMinusZ, excess) * hyp2f1Series(c - a, c - b, excess + 1, oneMinusZ, options);
      return firstSeries + secondSeries;
    }
  }
  return hyp2f1Series(a, b, c, z, options);
}

/** Π Γ(numerator) / Π Γ(denominator) via log-gamma and signs; 0 if a denominator is at a pole. */
function gammaRatio(numerator: readonly number[], denominator: readonly number[]): number {
  let logValue = 0;
  let sign = 1;
  for (const value of denominator) {
    const valueSign = gammaSign(value);
    if (valueSign === 0) return 0; // 1/Γ at a pole is 0
    sign *= valueSign;
    logValue -= logGamma(value);
  }
  for (const value of numerator) {
    sign *= gammaSign(value);
    logValue += logGamma(value);
  }
  return sign * Math.exp(logValue);
}

/** The defining series of 2F1, summed until the terms are negligible and shrinking. */
function hyp2f1Series(a: number, b: number, c: number, z: number, options: HypergeometricOptions): number {
  const tolerance = options.tolerance ?? 1e-16;
  const maxTerms = options.maxTerms ?? 100_000;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (term === 0) return sum; // a or b is a non-positive integer: the series terminates
    if (Math.abs(term) <= tolerance * Math.abs(sum) && Math.abs(ratio) < 1) return sum;
    if (!Number.isFinite(sum)) break;
  }
  throw new Error(`hyp2f1: series did not converge (a=${a}, b=${b}, c=${c}, z=${z})`);
}
