// What every report builder gets: run by the worker right after a refit has written the scores.
import type { ShopSettingsValues } from "~/settings/settings";

export type ReportContext = {
  shop: string;
  /** The refit's observation end (UTC midnight of "today"). */
  asOf: Date;
  currency: string | null;
  /** The ModelFit row just recorded (parameters, holdout, formula report); null when none. */
  modelFitId: number | null;
  settings: ShopSettingsValues;
};
