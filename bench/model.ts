// The model benchmark (`npm run bench:model`): how fast Tenure fits and scores a shop's customers.
//   1. fit + score (scoreCustomers: RFM, value tiers, BG/NBD and Gamma-Gamma fits, P(alive),
//      expected purchases, CLV, churn risk) of 100,000 and 1,000,000 synthetic customers, median of
//      several runs, customers per second and peak RSS; targets ≤ 0.5 s and ≤ 5 s;
//   2. the BG/NBD likelihood as Tenure evaluates it (customers sharing (x, t_x, T) grouped into one
//      weighted term, analytic gradient) against a straightforward per-customer evaluation (one object
//      per customer, numerical gradient), on the same 1,000,000 customers, with the ratio;
//   3. `npm run --silent clv -- score` as a whole process on a generated 50,000-customer CSV (median of
//      3 runs); target well under 2 s.
// Customers are drawn from the BG/NBD and Gamma-Gamma models themselves with CDNOW's published
// parameters (a seeded generator, so every run sees the same shop), in whole days: first purchases
// spread over one year, observed for two.
// Tunables (environment): BENCH_MODEL_SEED (default 1), BENCH_MODEL_SKIP_CLI=1.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { groupIdenticalCustomers } from "../app/ltv/group-identical";
import { type BgNbdParams, bgnbdLogLikelihood, bgnbdLogLikelihoodGradient } from "../app/ltv/models/bgnbd";
import { logBeta, logGamma } from "../app/ltv/models/special-functions";
import { type ShopCustomers, scoreCustomers } from "../app/ltv/score-shop";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SEED = Number(process.env.BENCH_MODEL_SEED ?? 1);

// CDNOW (Fader, Hardie & Lee 2005; Fader & Hardie 2013), α converted from weeks to days.
const TRUE_BGNBD: BgNbdParams = { r: 0.2426, alpha: 4.4136 * 7, a: 0.7929, b: 2.4259 };
const TRUE_GAMMA_GAMMA = { p: 6.25, q: 3.74, v: 15.44 };
const ACQUISITION_DAYS = 365;
const OBSERVATION_DAYS = 730;

const TARGETS = { score100kSeconds: 0.5, score1mSeconds: 5, cliSeconds: 2 } as const;

// ---------------------------------------------------------------------------------------------
// Seeded random numbers

/** xoshiro128** — small, fast, good enough for simulation; seeded through splitmix32. */
function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return (result + 0.5) / 4294967296; // in (0, 1)
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia & Tsang; shape < 1 through Gamma(shape + 1) · U^(1/shape). */
function gamma(random: () => number, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = normal(random);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

function beta(random: () => number, a: number, b: number): number {
  const x = gamma(random, a);
  return x / (x + gamma(random, b));
}

// ---------------------------------------------------------------------------------------------
// Synthetic shop

type PurchaseSink = (customer: number, day: number, amount: number) => void;

/**
 * `count` customers drawn from BG/NBD (purchase rate λ ~ Gamma(r, α), drop-out after each purchase
 * with p ~ Beta(a, b)) and Gamma-Gamma (order values Gamma(p, ν), ν ~ Gamma(q, v)), written straight
 * into typed arrays. Purchases on the same day are one purchase (their values added), as in Tenure's
 * summary. `onPurchase`, when given, also receives every purchase (for writing a CSV).
 */
function syntheticShop(count: number, seed: number, onPurchase?: PurchaseSink): ShopCustomers {
  const random = createRandom(seed);
  const customers: ShopCustomers = {
    customerIds: Array.from({ length: count }, (_, i) => `c${i}`),
    x: new Float64Array(count),
    tx: new Float64Array(count),
    T: new Float64Array(count),
    meanValue: new Float64Array(count),
    ordersCount: new Float64Array(count),
    netRevenue: new Float64Array(count),
    daysSinceLastOrder: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    const firstDay = Math.floor(random() * ACQUISITION_DAYS);
    const T = OBSERVATION_DAYS - firstDay;
    const rate = gamma(random, TRUE_BGNBD.r) / TRUE_BGNBD.alpha;
    const dropout = beta(random, TRUE_BGNBD.a, TRUE_BGNBD.b);
    const spendRate = gamma(random, TRUE_GAMMA_GAMMA.q) / TRUE_GAMMA_GAMMA.v;
    const orderValue = () => Math.round((gamma(random, TRUE_GAMMA_GAMMA.p) / spendRate) * 100) / 100;

    const firstValue = orderValue();
    onPurchase?.(i, firstDay, firstValue);
    let revenue = firstValue;
    let repeatDays = 0;
    let repeatRevenue = 0;
    let lastDay = 0;
    let time = 0;
    if (rate > 0) {
      for (;;) {
        time += -Math.log(random()) / rate;
        if (time >= T) break;
        const day = Math.floor(time);
        const value = orderValue();
        onPurchase?.(i, firstDay + day, value);
        revenue += value;
        if (day > 0) {
          if (day !== lastDay) repeatDays++;
          lastDay = day;
          repeatRevenue += value;
        }
        if (random() < dropout) break;
      }
    }
    customers.x[i] = repeatDays;
    customers.tx[i] = lastDay;
    customers.T[i] = T;
    customers.meanValue[i] = repeatDays > 0 ? repeatRevenue / repeatDays : 0;
    customers.ordersCount[i] = repeatDays + 1;
    customers.netRevenue[i] = revenue;
    customers.daysSinceLastOrder[i] = T - lastDay;
  }
  return customers;
}

// ---------------------------------------------------------------------------------------------
// A straightforward per-customer likelihood, for comparison

type CustomerObject = { x: number; tx: number; T: number };

/** The same ln L as bgnbdLogLikelihood, one customer object at a time, every term recomputed. */
function naiveLogLikelihood(params: BgNbdParams, customers: readonly CustomerObject[]): number {
  const { r, alpha, a, b } = params;
  let total = 0;
  for (const { x, tx, T } of customers) {
    const common = logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + logBeta(a, b + x) - logBeta(a, b);
    const alive = -(r + x) * Math.log(alpha + T);
    if (x === 0) {
      total += common + alive;
    } else {
      const dropped = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
      const larger = Math.max(alive, dropped);
      total += common + larger + Math.log(Math.exp(alive - larger) + Math.exp(dropped - larger));
    }
  }
  return total;
}

/** Central differences: 8 more passes over the customers. */
function naiveGradient(params: BgNbdParams, customers: readonly CustomerObject[]): BgNbdParams {
  const gradient = { ...params };
  for (const key of ["r", "alpha", "a", "b"] as const) {
    const step = 1e-6 * params[key];
    const up = naiveLogLikelihood({ ...params, [key]: params[key] + step }, customers);
    const down = naiveLogLikelihood({ ...params, [key]: params[key] - step }, customers);
    gradient[key] = (up - down) / (2 * step);
  }
  return gradient;
}

// ---------------------------------------------------------------------------------------------
// Measuring

const median = (values: number[]) => {
  const sorted = [...values].sort((p, q) => p - q);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const perSecond = (count: number, ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString("en-US")} customers/s`;
const check = (ok: boolean) => (ok ? "✓ within target" : "✗ OVER TARGET");

function benchScore(count: number, runs: number, target: number): { medianMs: number } {
  const generated = performance.now();
  const customers = syntheticShop(count, SEED);
  const generationMs = performance.now() - generated;
  const distinct = groupIdenticalCustomers(customers.x, customers.tx, customers.T).x.length;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const fitMs: number[] = [];
  let last: ReturnType<typeof scoreCustomers> | null = null;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    last = scoreCustomers(customers, { unit: "day" });
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    fitMs.push(last.fit.durationMs);
  }
  const medianMs = median(times);
  const fit = last?.fit;
  const fmt = (value: number | undefined) => (value === undefined ? "—" : value.toPrecision(4));
  console.log(`\n## fit + score ${count.toLocaleString("en-US")} customers (${runs} runs)`);
  console.log(`  generated in ${seconds(generationMs)}; ${distinct.toLocaleString("en-US")} distinct (x, t_x, T); ${fit?.repeatCustomers.toLocaleString("en-US")} repeat customers`);
  console.log(`  runs (wall): ${times.map((ms) => seconds(ms)).join(", ")}; CPU time of the process in each: ${cpuTimes.map((ms) => seconds(ms)).join(", ")}`);
  console.log(`  median ${seconds(medianMs)} (of which fitting ${seconds(median(fitMs))}) → ${perSecond(count, medianMs)}  [target ≤ ${target} s: ${check(medianMs / 1000 <= target)}]`);
  console.log(
    `  fitted BG/NBD r ${fmt(fit?.bgnbd?.r)} α ${fmt(fit?.bgnbd?.alpha)} a ${fmt(fit?.bgnbd?.a)} b ${fmt(fit?.bgnbd?.b)} (drawn with r ${TRUE_BGNBD.r} α ${TRUE_BGNBD.alpha.toPrecision(4)} a ${TRUE_BGNBD.a} b ${TRUE_BGNBD.b}); ` +
      `Gamma-Gamma p ${fmt(fit?.gammaGamma?.p)} q ${fmt(fit?.gammaGamma?.q)} v ${fmt(fit?.gammaGamma?.v)}; converged ${fit?.converged}`,
  );
  console.log(`  peak RSS so far ${peakRssMb().toFixed(0)} MB`);
  return { medianMs };
}

function benchLikelihood(count: number): void {
  const customers = syntheticShop(count, SEED);
  const params = TRUE_BGNBD;
  const time = (runs: number, action: () => void) => {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      action();
      times.push(performance.now() - started);
    }
    return median(times);
  };

  const groupingMs = time(3, () => groupIdenticalCustomers(customers.x, customers.tx, customers.T));
  const grouped = groupIdenticalCustomers(customers.x, customers.tx, customers.T);
  const uncompressed = { x: customers.x, tx: customers.tx, T: customers.T };
  let groupedValue = 0;
  const groupedMs = time(5, () => {
    groupedValue = bgnbdLogLikelihood(params, grouped);
    bgnbdLogLikelihoodGradient(params, grouped);
  });
  let typedValue = 0;
  const typedMs = time(3, () => {
    typedValue = bgnbdLogLikelihood(params, uncompressed);
    bgnbdLogLikelihoodGradient(params, uncompressed);
  });
  const objects: CustomerObject[] = Array.from({ length: count }, (_, i) => ({ x: customers.x[i] as number, tx: customers.tx[i] as number, T: customers.T[i] as number }));
  let naiveValue = 0;
  const naiveMs = time(3, () => {
    naiveValue = naiveLogLikelihood(params, objects);
    naiveGradient(params, objects);
  });
  const analytic = bgnbdLogLikelihoodGradient(params, grouped);
  const numeric = naiveGradient(params, objects);
  const keys = ["r", "alpha", "a", "b"] as const;
  const gradientScale = Math.max(...keys.map((key) => Math.abs(analytic[key])));
  const agreement = Math.max(...keys.map((key) => Math.abs(analytic[key] - numeric[key]))) / gradientScale;

  console.log(`\n## BG/NBD log-likelihood + gradient, ${count.toLocaleString("en-US")} customers (median of runs)`);
  console.log(`  grouped (${grouped.x.length.toLocaleString("en-US")} weighted rows) + analytic gradient: ${(groupedMs).toFixed(1)} ms  (grouping once: ${groupingMs.toFixed(1)} ms)`);
  console.log(`  typed arrays, not grouped + analytic gradient:        ${typedMs.toFixed(1)} ms  (${(typedMs / groupedMs).toFixed(1)}× the grouped)`);
  console.log(`  per-customer objects + numerical gradient:            ${naiveMs.toFixed(1)} ms  (${(naiveMs / groupedMs).toFixed(0)}× the grouped)`);
  console.log(
    `  same likelihood: ln L grouped ${groupedValue.toFixed(3)}, typed ${typedValue.toFixed(3)}, per-customer ${naiveValue.toFixed(3)}; ` +
      `analytic and numerical gradients differ by ${agreement.toExponential(1)} of the gradient's size (the numerical one's own error)`,
  );
}

function benchCli(count: number): void {
  const directory = mkdtempSync(join(os.tmpdir(), "tenure-bench-model-"));
  try {
    const lines: string[] = ["customer_id,date,amount"];
    const start = Date.UTC(2023, 0, 1) / 86_400_000;
    const isoDay = (day: number) => new Date((start + day) * 86_400_000).toISOString().slice(0, 10);
    syntheticShop(count, SEED + 1, (customer, day, amount) => lines.push(`c${customer},${isoDay(day)},${amount.toFixed(2)}`));
    const path = join(directory, `shop-${count}.csv`);
    writeFileSync(path, `${lines.join("\n")}\n`);
    const end = isoDay(OBSERVATION_DAYS);
    const command = ["npm", "run", "--silent", "clv", "--", "score", "--transactions", path, "--end", end];
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const result = spawnSync(command[0] as string, command.slice(1), { cwd: ROOT, encoding: "utf8", maxBuffer: 256 << 20 });
      times.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`clv score failed (${result.status}): ${result.stderr}`);
      rows = result.stdout.trimEnd().split("\n").length - 1;
    }
    const nodeOnly: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      spawnSync(process.execPath, ["--import", "tsx", "app/cli/clv.ts", ...command.slice(5)], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 << 20 });
      nodeOnly.push(performance.now() - started);
    }
    const startup: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      spawnSync("npm", ["run", "--silent", "clv", "--", "fit"], { cwd: ROOT, encoding: "utf8" });
      startup.push(performance.now() - started);
    }
    const medianMs = median(times);
    console.log(`\n## the CLI as a whole process, ${count.toLocaleString("en-US")} customers (${(lines.length - 1).toLocaleString("en-US")} orders, ${(Buffer.byteLength(lines.join("\n")) / 1e6).toFixed(1)} MB CSV)`);
    console.log(`  $ ${command.join(" ").replace(path, "<tmp>/" + `shop-${count}.csv`)}  → ${rows.toLocaleString("en-US")} rows`);
    console.log(`  runs: ${times.map((ms) => seconds(ms)).join(", ")}; median ${seconds(medianMs)}  [target < ${TARGETS.cliSeconds} s: ${check(medianMs / 1000 < TARGETS.cliSeconds)}]`);
    console.log(`  the same with node --import tsx (no npm): median ${seconds(median(nodeOnly))}; npm + tsx start-up alone (a usage error): median ${seconds(median(startup))}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const cpus = os.cpus();
console.log("# Tenure model benchmark");
console.log(`command: npm run bench:model   (seed ${SEED})`);
console.log(`machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}; node ${process.version}; load average ${os.loadavg().map((value) => value.toFixed(2)).join(" ")}`);

const small = benchScore(100_000, 5, TARGETS.score100kSeconds);
const large = benchScore(1_000_000, 3, TARGETS.score1mSeconds);
const scoringPeakRss = peakRssMb();
benchLikelihood(1_000_000);
if (process.env.BENCH_MODEL_SKIP_CLI !== "1") benchCli(50_000);

console.log("\n## summary");
console.log(`  fit + score 100,000: ${seconds(small.medianMs)} (${perSecond(100_000, small.medianMs)}); 1,000,000: ${seconds(large.medianMs)} (${perSecond(1_000_000, large.medianMs)})`);
console.log(`  peak RSS while scoring: ${scoringPeakRss.toFixed(0)} MB; at the end (after the per-customer comparison): ${peakRssMb().toFixed(0)} MB`);
