import { describe, expect, it } from "vitest";
import { parseSettingsForm } from "./settings";

const valid = {
  grossMarginPercent: "42.5",
  monthlyDiscountRatePercent: "1",
  predictionHorizonMonths: "24",
  acquisitionCost: "18,90",
  highValueRule: "top_percent",
  highValueThreshold: "5",
  highValueBasis: "predicted",
  tagName: " VIP ",
  autoTagging: "on",
  writeMetafields: "on",
};

describe("settings form", () => {
  it("accepts a merchant's values, with a decimal comma and stray spaces", () => {
    const parsed = parseSettingsForm(valid);
    expect(parsed).toEqual({
      ok: true,
      values: { ...valid, grossMarginPercent: 42.5, monthlyDiscountRatePercent: 1, predictionHorizonMonths: 24, acquisitionCost: "18.90", tagName: "VIP", autoTagging: true, writeMetafields: true },
    });
  });

  it("treats an unchecked box as off and an empty acquisition cost as not set", () => {
    const { autoTagging: _unchecked, ...form } = valid;
    const parsed = parseSettingsForm({ ...form, acquisitionCost: "" });
    expect(parsed.ok && parsed.values.autoTagging).toBe(false);
    expect(parsed.ok && parsed.values.acquisitionCost).toBeNull();
  });

  it("names each bad field with a message key the page translates", () => {
    const parsed = parseSettingsForm({
      ...valid,
      grossMarginPercent: "0",
      predictionHorizonMonths: "6.5",
      acquisitionCost: "twenty",
      highValueThreshold: "80",
      tagName: "vip,loyal",
    });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        grossMarginPercent: "errors.marginRange",
        predictionHorizonMonths: "errors.wholeMonths",
        acquisitionCost: "errors.amount",
        highValueThreshold: "errors.topPercentRange",
        tagName: "errors.tagComma",
      },
    });
  });

  it("checks an amount threshold as money, not as a percentage", () => {
    expect(parseSettingsForm({ ...valid, highValueRule: "min_amount", highValueThreshold: "800" }).ok).toBe(true);
    expect(parseSettingsForm({ ...valid, highValueRule: "min_amount", highValueThreshold: "0" })).toEqual({ ok: false, errors: { highValueThreshold: "errors.amountPositive" } });
  });
});
