// Fitting BG/NBD and Gamma-Gamma to a whole shop in little time. The models' own fits search from
// several starting points and stop once two agree, which means at least two full optimisations over
// all the data. For a large shop that search is run on a sample (chosen by the rows' content, so
// the same data always give the same sample, in any order), and the full data are then fitted once,
// from the sample's optimum; only if that does not converge does the full multi-start search run.
// Small shops (CDNOW's 2,357 customers, say) are fitted exactly as the models' own functions do.
import { mixHash } from "./group-identical";
import { type BgNbdFit, fitBgNbd } from "./models/bgnbd";
import { type GammaGammaFit, type SpendSummary, fitGammaGamma } from "./models/gamma-gamma";

/** Above this many distinct rows the starting point comes from a sample. */
export const SAMPLE_FIT_ABOVE_ROWS = 10_000;
/** About how many rows the sample keeps. */
export const SAMPLE_ROWS = 3_000;

export type SampledFitOptions = { sampleAboveRows?: number; sampleRows?: number };

type WeightedRows = { x: Float64Array; tx: Float64Array; T: Float64Array; weight: Float64Array };

/** BG/NBD on customers grouped by identical (x, t_x, T). */
export function fitBgNbdForShop(rows: WeightedRows, options: SampledFitOptions = {}): BgNbdFit {
  const sampleAbove = options.sampleAboveRows ?? SAMPLE_FIT_ABOVE_ROWS;
  if (rows.x.length <= sampleAbove) return fitBgNbd(rows);
  const keep = sampleByContent([rows.x, rows.tx, rows.T], options.sampleRows ?? SAMPLE_ROWS);
  const sample = { x: pick(rows.x, keep), tx: pick(rows.tx, keep), T: pick(rows.T, keep), weight: pick(rows.weight, keep) };
  const sampleFit = sample.x.some((x) => x > 0) ? fitBgNbd(sample) : null;
  if (sampleFit?.converged) {
    const fit = fitBgNbd(rows, { starts: [sampleFit.params] });
    if (fit.converged) return fit;
  }
  return fitBgNbd(rows);
}

/** Gamma-Gamma on repeat customers (x > 0, meanValue > 0); faster when they come sorted by x. */
export function fitGammaGammaForShop(data: Required<Pick<SpendSummary, "x" | "meanValue">>, options: SampledFitOptions = {}): GammaGammaFit {
  const sampleAbove = options.sampleAboveRows ?? SAMPLE_FIT_ABOVE_ROWS;
  if (data.x.length <= sampleAbove) return fitGammaGamma(data);
  const keep = sampleByContent([data.x, data.meanValue], options.sampleRows ?? SAMPLE_ROWS);
  let sampleFit: GammaGammaFit | null = null;
  try {
    sampleFit = fitGammaGamma({ x: pick(data.x, keep), meanValue: pick(data.meanValue, keep) });
  } catch {
    sampleFit = null; // e.g. no usable row in the sample: fall back to the full search below
  }
  if (sampleFit?.converged) {
    const fit = fitGammaGamma(data, { starts: [sampleFit.params] });
    if (fit.converged) return fit;
  }
  return fitGammaGamma(data);
}

/** Indices of about `target` rows, chosen by a hash of their values (identical rows go together). */
function sampleByContent(columns: readonly Float64Array[], target: number): Uint32Array {
  const n = columns[0]?.length ?? 0;
  const threshold = Math.min(1, target / n) * 2 ** 32;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    let hash = 0x51ed270b;
    for (const column of columns) hash = mixHash(hash, (column[i] as number) + 0);
    // MurmurHash3's finaliser, so that every bit of the hash depends on every input bit.
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    hash ^= hash >>> 16;
    if (hash >>> 0 < threshold) kept.push(i);
  }
  return Uint32Array.from(kept);
}

function pick(values: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k] as number] as number;
  return out;
}
