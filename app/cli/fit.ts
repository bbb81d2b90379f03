// `clv fit`: fits BG/NBD and Gamma-Gamma to a transactions file and prints ONE JSON object:
//   { "customers", "repeatCustomers", "bgnbd": { "r", "alpha", "a", "b", "logLikelihood" },
//     "gammaGamma": { "p", "q", "v" }, "converged", "insufficient", "reason"? }
// "bgnbd" and "gammaGamma" are null when the models were not fitted (too few repeat customers);
// "insufficient" is true, with the reason, whenever the shop would get no predictions.
import { parseArgs } from "node:util";
import { fitShopModels, summarizeShop } from "~/ltv/score-shop";
import { MODEL_INPUT_OPTIONS, modelInputFromArgs } from "./model-input";

export type FitOutput = {
  customers: number;
  repeatCustomers: number;
  bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number } | null;
  gammaGamma: { p: number; q: number; v: number } | null;
  converged: boolean;
  insufficient: boolean;
  reason?: string;
};

export async function fitCommand(args: string[], write: (text: string) => Promise<void>): Promise<void> {
  const { values } = parseArgs({ args, options: MODEL_INPUT_OPTIONS, strict: true });
  const input = modelInputFromArgs("fit", values);
  const { customers } = summarizeShop(input.transactions, input);
  const fit = fitShopModels(customers, input);
  const output: FitOutput = {
    customers: fit.customers,
    repeatCustomers: fit.repeatCustomers,
    bgnbd: fit.bgnbd && fit.logLikelihood !== null ? { ...fit.bgnbd, logLikelihood: fit.logLikelihood } : null,
    gammaGamma: fit.gammaGamma,
    converged: fit.converged,
    insufficient: fit.insufficient,
    ...(fit.reason !== undefined ? { reason: fit.reason } : {}),
  };
  await write(`${JSON.stringify(output)}\n`);
}
