// The options `clv fit` and `clv score` share: which file, in which format, which time unit and
// which observation end.
import { utcDayNumber } from "~/ltv/models/summary";
import type { TimeUnit } from "~/ltv/models/summary";
import { InputError, UsageError } from "./cli-errors";
import { TRANSACTIONS_FORMATS, type TransactionsFile, type TransactionsFormat, readTransactionsFile } from "./transactions-input";

export const MODEL_INPUT_OPTIONS = {
  transactions: { type: "string" },
  format: { type: "string", default: "transactions" },
  unit: { type: "string", default: "day" },
  end: { type: "string" },
  "min-repeat-customers": { type: "string" },
} as const;

export const MODEL_INPUT_USAGE = `--transactions <csv> [--format transactions|shopify-orders-export] [--unit day|week] [--end YYYY-MM-DD] [--min-repeat-customers <n>]`;

export type ModelInput = {
  transactions: TransactionsFile;
  unit: TimeUnit;
  /** "YYYY-MM-DD": --end, or the file's last order day. */
  observationEnd: string;
  minRepeatCustomers?: number;
};

type ModelInputValues = { transactions?: string; format?: string; unit?: string; end?: string; "min-repeat-customers"?: string };

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function modelInputFromArgs(command: string, values: ModelInputValues): ModelInput {
  if (!values.transactions) throw new UsageError(`${command} needs --transactions <csv>`);
  const format = values.format ?? "transactions";
  if (!(TRANSACTIONS_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${TRANSACTIONS_FORMATS.join(", ")}, got "${format}"`);
  const unit = values.unit ?? "day";
  if (unit !== "day" && unit !== "week") throw new UsageError(`--unit must be day or week, got "${unit}"`);
  let endDay: number | null = null;
  if (values.end !== undefined) {
    endDay = ISO_DAY.test(values.end) ? safeDay(values.end) : null;
    if (endDay === null) throw new UsageError(`--end must be a date YYYY-MM-DD, got "${values.end}"`);
  }
  const minRepeatCustomers = values["min-repeat-customers"] === undefined ? undefined : Number(values["min-repeat-customers"]);
  if (minRepeatCustomers !== undefined && !(Number.isInteger(minRepeatCustomers) && minRepeatCustomers >= 1)) {
    throw new UsageError(`--min-repeat-customers must be a whole number ≥ 1, got "${values["min-repeat-customers"]}"`);
  }

  const transactions = readTransactionsFile(values.transactions, format as TransactionsFormat);
  const observationEndDay = endDay ?? transactions.lastDay;
  let ordersByEnd = 0;
  for (let i = 0; i < transactions.days.length; i++) if ((transactions.days[i] as number) <= observationEndDay) ordersByEnd++;
  const observationEnd = new Date(observationEndDay * DAY_MS).toISOString().slice(0, 10);
  if (ordersByEnd === 0) throw new InputError(`${values.transactions}: no orders on or before ${observationEnd}`);
  return { transactions, unit, observationEnd, ...(minRepeatCustomers === undefined ? {} : { minRepeatCustomers }) };
}

function safeDay(text: string): number | null {
  try {
    return utcDayNumber(text);
  } catch {
    return null;
  }
}
