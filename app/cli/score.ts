// `clv score`: every customer's predictions and segments as CSV, one row per customer:
//   customer_id,x,t_x,T,probability_alive,expected_purchases,expected_order_value,predicted_clv,
//   rfm_group,value_tier,churn_risk
// x, t_x and T are in --unit; expected purchases and CLV cover --horizon units (default 12 months);
// value_tier ranks by predicted CLV. Without predictions (too little data, see `clv fit`) the four
// prediction columns are empty, value_tier ranks by net revenue, churn_risk follows the days since the
// last order, and a note on stderr says so.
import { parseArgs } from "node:util";
import { CHURN_RISKS } from "~/ltv/churn-risk";
import { UNITS_PER_MONTH } from "~/ltv/models/clv";
import { RFM_GROUPS } from "~/ltv/rfm";
import { type ShopScores, scoreShop } from "~/ltv/score-shop";
import { VALUE_TIERS } from "~/ltv/value-tiers";
import { UsageError } from "./cli-errors";
import { MODEL_INPUT_OPTIONS, modelInputFromArgs } from "./model-input";

export const SCORE_CSV_COLUMNS = [
  "customer_id",
  "x",
  "t_x",
  "T",
  "probability_alive",
  "expected_purchases",
  "expected_order_value",
  "predicted_clv",
  "rfm_group",
  "value_tier",
  "churn_risk",
] as const;

const SCORE_OPTIONS = {
  ...MODEL_INPUT_OPTIONS,
  horizon: { type: "string" },
  "gross-margin-pct": { type: "string" },
  "monthly-discount-rate": { type: "string" },
} as const;

export const SCORE_USAGE_OPTIONS = "[--horizon <units>] [--gross-margin-pct <0-100>] [--monthly-discount-rate <rate>]";

export async function scoreCommand(args: string[], write: (text: string) => Promise<void>, warn: (text: string) => void): Promise<void> {
  const { values } = parseArgs({ args, options: SCORE_OPTIONS, strict: true });
  const unit = values.unit === "week" ? "week" : "day";
  const horizonMonths = values.horizon === undefined ? undefined : positiveNumber("--horizon", values.horizon) / UNITS_PER_MONTH[unit];
  const grossMarginPct = values["gross-margin-pct"] === undefined ? undefined : numberOption("--gross-margin-pct", values["gross-margin-pct"]);
  const monthlyDiscountRate = values["monthly-discount-rate"] === undefined ? undefined : numberOption("--monthly-discount-rate", values["monthly-discount-rate"]);
  if (grossMarginPct !== undefined && !(grossMarginPct >= 0 && grossMarginPct <= 100)) throw new UsageError("--gross-margin-pct must be within 0–100");
  if (monthlyDiscountRate !== undefined && !(monthlyDiscountRate > -1)) throw new UsageError("--monthly-discount-rate must be greater than −1");
  const input = modelInputFromArgs("score", values);
  const scores = scoreShop(input.transactions, {
    ...input,
    ...(horizonMonths === undefined ? {} : { horizonMonths }),
    ...(grossMarginPct === undefined ? {} : { grossMarginPct }),
    ...(monthlyDiscountRate === undefined ? {} : { monthlyDiscountRate }),
  });
  if (!scores.predictions) {
    warn(`no predictions: ${scores.fit.reason}; value_tier ranks by net revenue and churn_risk follows the days since the last order`);
  }
  await write(scoreCsv(scores));
}

/** The whole CSV, header first, one line per customer. */
export function scoreCsv(scores: ShopScores): string {
  const { predictions } = scores;
  const tiers = scores.valueTier.predicted ?? scores.valueTier.historical;
  // t_x and T take few distinct values (whole days or weeks): format each once.
  const times = new Map<number, string>();
  const time = (value: number) => {
    let text = times.get(value);
    if (text === undefined) {
      text = decimal(value, 4);
      times.set(value, text);
    }
    return text;
  };
  // Lines are joined into chunks as they go, so that each line's pieces die young (cheap to collect)
  // instead of all 50,000 surviving until one final join.
  const chunks: string[] = [];
  let lines: string[] = [SCORE_CSV_COLUMNS.join(",")];
  for (let i = 0; i < scores.x.length; i++) {
    if (lines.length === 1024) {
      chunks.push(lines.join("\n"));
      lines = [];
    }
    const segments = `${RFM_GROUPS[scores.rfm.group[i] as number]},${VALUE_TIERS[tiers[i] as number]},${CHURN_RISKS[scores.churnRisk[i] as number]}`;
    const history = `${csvField(scores.customerIds[i] as string)},${scores.x[i]},${time(scores.tx[i] as number)},${time(scores.T[i] as number)}`;
    lines.push(
      predictions
        ? `${history},${decimal(predictions.probabilityAlive[i] as number, 6)},${decimal(predictions.expectedPurchases[i] as number, 6)},` +
            `${fixed(predictions.expectedOrderValue[i] as number, 2)},${fixed(predictions.predictedClv[i] as number, 2)},${segments}`
        : `${history},,,,,${segments}`,
    );
  }
  chunks.push(lines.join("\n"));
  return `${chunks.join("\n")}\n`;
}

const POWERS_OF_TEN = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * `value.toFixed(places)`, optionally without trailing zeros (38.857143 → "38.8571", 272 → "272"),
 * built from whole numbers: toFixed is slow enough to dominate writing a large CSV. Rounds half away
 * from zero on the scaled value; falls back to toFixed outside the exact range.
 */
function fixed(value: number, places: number, trimZeros = false): string {
  const scale = POWERS_OF_TEN[places] as number;
  const scaled = Math.round(Math.abs(value) * scale);
  if (!(scaled < 2 ** 52)) return trimZeros ? trimmed(value.toFixed(places)) : value.toFixed(places);
  const whole = Math.floor(scaled / scale);
  let fraction = scaled - whole * scale;
  const sign = value < 0 && scaled > 0 ? "-" : "";
  if (trimZeros) {
    if (fraction === 0) return `${sign}${whole}`;
    let digits = places;
    while (fraction % 10 === 0) {
      fraction /= 10;
      digits--;
    }
    return `${sign}${whole}.${String(fraction).padStart(digits, "0")}`;
  }
  return `${sign}${whole}.${String(fraction).padStart(places, "0")}`;
}

function trimmed(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

const decimal = (value: number, places: number) => fixed(value, places, true);

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new UsageError(`${name} must be a number, got "${text}"`);
  return value;
}

function positiveNumber(name: string, text: string): number {
  const value = numberOption(name, text);
  if (!(value > 0)) throw new UsageError(`${name} must be positive, got "${text}"`);
  return value;
}
