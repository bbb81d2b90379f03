// A shop's settings: what they mean, their defaults and how a submitted form is validated. Pure.
import { z } from "zod";

export const HIGH_VALUE_RULES = ["top_percent", "min_amount"] as const;
export const HIGH_VALUE_BASES = ["historical", "predicted"] as const;

export type ShopSettingsValues = {
  /** 0–100: share of revenue kept as margin; CLV is shown as margin when below 100. */
  grossMarginPercent: number;
  /** Monthly rate future value is discounted by, in percent (1 = 1 % a month). */
  monthlyDiscountRatePercent: number;
  predictionHorizonMonths: number;
  /** Acquisition cost per customer in the shop's currency (decimal string); null = not set. */
  acquisitionCost: string | null;
  highValueRule: (typeof HIGH_VALUE_RULES)[number];
  /** Percent of customers for top_percent; an amount in the shop's currency for min_amount. */
  highValueThreshold: string;
  highValueBasis: (typeof HIGH_VALUE_BASES)[number];
  tagName: string;
  autoTagging: boolean;
};

export const DEFAULT_SETTINGS: ShopSettingsValues = {
  grossMarginPercent: 100,
  monthlyDiscountRatePercent: 1,
  predictionHorizonMonths: 12,
  acquisitionCost: null,
  highValueRule: "top_percent",
  highValueThreshold: "5",
  highValueBasis: "predicted",
  tagName: "tenure-high-value",
  autoTagging: false,
};

const decimalString = /^\d{1,14}(\.\d{1,4})?$/;

/**
 * The settings form. Messages are i18n keys in the `settings` namespace (errors.*), so the page
 * shows them in the merchant's language.
 */
export const ZSettingsForm = z
  .object({
    grossMarginPercent: z.coerce.number({ message: "errors.number" }).min(1, "errors.marginRange").max(100, "errors.marginRange"),
    monthlyDiscountRatePercent: z.coerce.number({ message: "errors.number" }).min(0, "errors.discountRange").max(10, "errors.discountRange"),
    predictionHorizonMonths: z.coerce.number({ message: "errors.number" }).int("errors.wholeMonths").min(1, "errors.horizonRange").max(60, "errors.horizonRange"),
    acquisitionCost: z
      .string()
      .trim()
      .transform((value) => (value === "" ? null : value.replace(",", ".")))
      .refine((value) => value === null || decimalString.test(value), "errors.amount"),
    highValueRule: z.enum(HIGH_VALUE_RULES, { message: "errors.choice" }),
    highValueThreshold: z
      .string()
      .trim()
      .transform((value) => value.replace(",", "."))
      .refine((value) => decimalString.test(value), "errors.amount"),
    highValueBasis: z.enum(HIGH_VALUE_BASES, { message: "errors.choice" }),
    tagName: z
      .string()
      .trim()
      .min(1, "errors.tagRequired")
      .max(40, "errors.tagLength")
      .refine((value) => !value.includes(","), "errors.tagComma"),
    autoTagging: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()),
  })
  .superRefine((form, context) => {
    if (form.highValueRule === "top_percent") {
      const percent = Number(form.highValueThreshold);
      if (!(percent > 0 && percent <= 50)) context.addIssue({ code: "custom", path: ["highValueThreshold"], message: "errors.topPercentRange" });
    } else if (!(Number(form.highValueThreshold) > 0)) {
      context.addIssue({ code: "custom", path: ["highValueThreshold"], message: "errors.amountPositive" });
    }
  });

export type SettingsFieldErrors = Partial<Record<keyof ShopSettingsValues, string>>;

export function parseSettingsForm(form: Record<string, unknown>): { ok: true; values: ShopSettingsValues } | { ok: false; errors: SettingsFieldErrors } {
  const result = ZSettingsForm.safeParse(form);
  if (result.success) return { ok: true, values: result.data };
  const errors: SettingsFieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof ShopSettingsValues | undefined;
    if (field && !errors[field]) errors[field] = issue.message;
  }
  return { ok: false, errors };
}
