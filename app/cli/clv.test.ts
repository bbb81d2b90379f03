// `clv fit` and `clv score` as a merchant runs them: a child process with no database and no
// environment variables beyond PATH and HOME.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CDNOW = "tests/fixtures/cdnow/cdnow_sample_transactions.csv";
const SHOPIFY_EXPORT = "tests/fixtures/shopify-orders-export/orders_export_synthetic.csv";
// Deliberately without NODE_ENV, which the app's type declarations make required.
const bareEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } as unknown as NodeJS.ProcessEnv;

type Outcome = { code: number; stdout: string; stderr: string };

// Two processes at a time: the machine has two cores and each process is mostly start-up.
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  while (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function spawn(command: string, args: string[]): Promise<Outcome> {
  return limited(async () => {
    try {
      const { stdout, stderr } = await run(command, args, { cwd: ROOT, env: bareEnv, maxBuffer: 64 << 20 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  });
}

const clv = (...args: string[]) => spawn(process.execPath, ["--import", "tsx", "app/cli/clv.ts", ...args]);

const scratch = mkdtempSync(join(tmpdir(), "tenure-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const significant = (value: number, digits: number) => Number(value.toPrecision(digits));

describe.concurrent("clv fit and score", { timeout: 60_000 }, () => {
  it("fit prints the published CDNOW parameters as one JSON object (npm run, as in the README)", async () => {
    const { code, stdout } = await spawn("npm", ["run", "--silent", "clv", "--", "fit", "--transactions", CDNOW, "--unit", "week", "--end", "1997-09-30"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const fit = JSON.parse(lines[0] as string);
    expect(Object.keys(fit)).toEqual(["customers", "repeatCustomers", "bgnbd", "gammaGamma", "converged", "insufficient"]);
    expect(fit).toMatchObject({ customers: 2357, repeatCustomers: 946, converged: true, insufficient: false });
    const { r, alpha, a, b, logLikelihood } = fit.bgnbd;
    expect([r, alpha, a, b, logLikelihood].map((value: number) => significant(value, 4))).toEqual([0.2426, 4.414, 0.7929, 2.426, -9582]);
    expect(logLikelihood.toFixed(2)).toBe("-9582.43");
    const { p, q, v } = fit.gammaGamma;
    expect([p, q, v].map((value: number) => significant(value, 3))).toEqual([6.25, 3.74, 15.4]);
  });

  it("score prints one CSV row per customer with predictions and segments", async () => {
    const { code, stdout, stderr } = await clv("score", "--transactions", CDNOW, "--unit", "week", "--end", "1997-09-30", "--horizon", "39");
    expect([code, stderr]).toEqual([0, ""]);
    const [header, ...rows] = stdout.trim().split("\n");
    expect(header).toBe("customer_id,x,t_x,T,probability_alive,expected_purchases,expected_order_value,predicted_clv,rfm_group,value_tier,churn_risk");
    expect(rows).toHaveLength(2357);
    // Customer 0001: 2 repeat purchases, the last at 30.43 weeks, observed for 38.86 weeks.
    expect(rows[0]).toMatch(/^0001,2,30\.4286,38\.8571,0\.72\d+,\d+\.\d+,\d+\.\d\d,\d+\.\d\d,[a-z_]+,(top1|top5|top20|rest),low$/);
    const cells = rows.map((row) => row.split(","));
    expect(new Set(cells.map((row) => row[10]))).toEqual(new Set(["low", "medium", "high"]));
    expect(cells.filter((row) => row[9] === "top1").length).toBeGreaterThan(0);
    expect(cells.every((row) => row.length === 11 && row.slice(4, 8).every((cell) => cell !== "" && !cell.includes("NaN")))).toBe(true);
  });

  it("scores Shopify's order export: line items grouped into orders, customers by email", async () => {
    const { code, stdout } = await clv("score", "--transactions", SHOPIFY_EXPORT, "--format", "shopify-orders-export", "--min-repeat-customers", "1");
    expect(code).toBe(0);
    const rows = stdout.trim().split("\n").slice(1).map((row) => row.split(","));
    // Observed to 2024-06-28, the last order day, in days.
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      ["alice@example.com", "2", "131", "170"],
      ["bob@example.com", "1", "165", "165"],
      ["carol@example.com", "1", "70", "148"],
      ["erin@example.com", "0", "0", "27"],
    ]);
  });

  it("says why there are no predictions and falls back to historical segments", async () => {
    const { code, stdout, stderr } = await clv("score", "--transactions", SHOPIFY_EXPORT, "--format", "shopify-orders-export");
    expect(code).toBe(0);
    expect(stderr.trim()).toBe(
      "no predictions: 3 customers with a repeat purchase; the models need at least 50; value_tier ranks by net revenue and churn_risk follows the days since the last order",
    );
    expect(stdout.trim().split("\n")[2]).toBe("bob@example.com,1,165,165,,,,,active,top1,low");
  });

  it("fit ignores purchases after --end and reports too little data as such", async () => {
    const { code, stdout } = await clv("fit", "--transactions", SHOPIFY_EXPORT, "--format", "shopify-orders-export", "--end", "2024-03-31");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      customers: 3,
      repeatCustomers: 1,
      bgnbd: null,
      gammaGamma: null,
      converged: false,
      insufficient: true,
      reason: "1 customers with a repeat purchase; the models need at least 50",
    });
  });

  it("fails with the file, line and column of a bad value, and prints nothing on stdout", async () => {
    const path = join(scratch, "cdnow.csv");
    writeFileSync(path, `customer_id,date,amount\n${"1,1997-01-01,10\n".repeat(15)}2,1997-01-02,abc\n`);
    const { code, stdout, stderr } = await clv("score", "--transactions", path);
    expect([code, stdout]).toEqual([65, ""]);
    expect(stderr.trim()).toBe(`${path}:17: column "amount": "abc" is not a number`);
  });

  it("fails on an empty file too: an error, not an empty result", async () => {
    const empty = join(scratch, "empty.csv");
    writeFileSync(empty, "");
    const { code, stdout, stderr } = await clv("fit", "--transactions", empty);
    expect([code, stdout]).toEqual([65, ""]);
    expect(stderr.trim()).toBe(`${empty}: the file is empty (a header line and at least one order are needed)`);
  });

  it("explains wrong arguments with the usage text", async () => {
    const { code, stderr } = await clv("score", "--transactions", CDNOW, "--unit", "month");
    expect(code).toBe(64);
    expect(stderr.split("\n")[0]).toBe('--unit must be day or week, got "month"');
    expect(stderr).toContain("usage: npm run --silent clv -- export --shop <shop domain>");
  });
});
