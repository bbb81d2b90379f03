// CPU cost of parsing a bulk result (JSONL) without the database: how much of the import's time is
// reading lines, JSON.parse, parseBulkLine, and the whole BulkOrderAssembler (window, version hashes).
//
//   npx tsx bench/parse-bulk.ts [lines|json|parse|all|digest] [file]
//
// `digest` runs the assembler like `all` and prints a sha256 over everything it emits (facts with
// each Decimal's internal digits, version hashes, late and malformed lines): two versions of
// bulk-orders.ts that print the same digest for a file give the same import of it.
//
// The file defaults to the 200,000-order result bench/backfill.ts generates (tenure-bulk-200000-seed42.jsonl
// under the system temp dir). Prints one line: mode, lines, orders (parse/all), seconds, CPU seconds.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BulkOrderAssembler, parseBulkLine } from "~/backfill/bulk-orders";
import { linesOf } from "~/backfill/jsonl-lines";
import { Decimal } from "~/ltv/money";

const MODES = ["lines", "json", "parse", "all", "digest"] as const;
type Mode = (typeof MODES)[number];

const mode = (process.argv[2] ?? "all") as Mode;
if (!MODES.includes(mode)) throw new Error(`mode must be one of ${MODES.join(", ")}`);
const file = process.argv[3] ?? join(tmpdir(), "tenure-bulk-200000-seed42.jsonl");

// The import's own line splitter (one array of lines per chunk read), flattened.
async function* lines(): AsyncIterable<string> {
  for await (const chunk of linesOf(createReadStream(file))) yield* chunk;
}

/** JSON with bigints as `123n`, Decimals as sign/exponent/digits and Dates as their time in ms. */
function exact(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, replaced: unknown) {
    const original = this[key];
    if (typeof original === "bigint") return `${original}n`;
    if (original instanceof Decimal) return `D${original.s}|${original.e}|${original.d.join(",")}`;
    if (original instanceof Date) return `T${original.getTime()}`;
    return replaced;
  });
}

async function run(): Promise<{ lines: number; orders: number | null; late?: number; malformed?: number; digest?: string }> {
  let count = 0;
  if (mode === "lines") {
    for await (const text of lines()) count += text.length > 0 ? 1 : 0;
    return { lines: count, orders: null };
  }
  if (mode === "json") {
    let objects = 0;
    for await (const text of lines()) {
      count += 1;
      if (typeof JSON.parse(text) === "object") objects += 1;
    }
    return { lines: count, orders: objects };
  }
  if (mode === "parse") {
    let orders = 0;
    for await (const text of lines()) {
      count += 1;
      if (parseBulkLine(text).kind === "order") orders += 1;
    }
    return { lines: count, orders };
  }
  // The import's tuning (IMPORT_TUNING in import-bulk-result.server.ts, whose module needs the env).
  let orders = 0;
  let late = 0;
  let malformed = 0;
  const hash = mode === "digest" ? createHash("sha256") : null;
  const assembler = new BulkOrderAssembler(
    { windowOrders: 2_000, rememberedOrders: 100_000 },
    {
      order: (order) => {
        orders += 1;
        hash?.update(`O${exact(order)}\n`);
      },
      late: (item) => {
        late += 1;
        hash?.update(`L${exact(item)}\n`);
      },
      malformed: (line) => {
        malformed += 1;
        hash?.update(`M${exact(line)}\n`);
      },
    },
  );
  for await (const text of lines()) assembler.push(count++, text);
  assembler.finish();
  return { lines: count, orders, late, malformed, digest: hash?.digest("hex") };
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await run();
const cpu = process.cpuUsage(cpuBefore);
const seconds = (performance.now() - started) / 1000;
const problems = result.late === undefined ? "" : `\tlate ${result.late}\tmalformed ${result.malformed}`;
console.log(
  `${mode}\tlines ${result.lines}\torders ${result.orders ?? "-"}${problems}\t${seconds.toFixed(2)} s\tcpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
);
if (result.digest) console.log(`digest ${result.digest}`);
