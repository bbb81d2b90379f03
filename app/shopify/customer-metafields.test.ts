import { describe, expect, it } from "vitest";
import { currencyDigits, customerMetafieldDefinitions, customerMetafieldValues, metafieldsDigest, metafieldsSetInputs } from "./customer-metafields";

const figures = { netRevenue: "1234.5650", predictedClv: "310.0049", probabilityAlive: 0.8765, rfmGroup: "champions", valueTier: "top5" };

describe("customer metafields", () => {
  it("round money to the currency's minor unit, exactly, and P(alive) to 2 places", () => {
    expect(customerMetafieldValues(figures, currencyDigits("EUR"))).toEqual({
      historical_ltv: "1234.57",
      predicted_clv: "310.00",
      probability_alive: "0.88",
      rfm_group: "champions",
      value_tier: "top5",
    });
    expect(currencyDigits("JPY")).toBe(0);
    expect(customerMetafieldValues({ ...figures, netRevenue: "15000.5000" }, currencyDigits("JPY")).historical_ltv).toBe("15001");
  });

  it("leave out predictions the shop does not have", () => {
    const values = customerMetafieldValues({ ...figures, predictedClv: null, probabilityAlive: null }, 2);
    expect(Object.keys(values)).toEqual(["historical_ltv", "rfm_group", "value_tier"]);
    expect(metafieldsSetInputs("gid://shopify/Customer/1", values).map((input) => input.key)).toEqual(["historical_ltv", "rfm_group", "value_tier"]);
  });

  it("digest only what is written: a prediction drifting by a tenth of a cent changes nothing", () => {
    const before = metafieldsDigest(customerMetafieldValues(figures, 2));
    expect(metafieldsDigest(customerMetafieldValues({ ...figures, predictedClv: "310.0031" }, 2))).toBe(before);
    expect(metafieldsDigest(customerMetafieldValues({ ...figures, predictedClv: "310.0051" }, 2))).not.toBe(before);
    expect(metafieldsDigest(customerMetafieldValues({ ...figures, rfmGroup: "loyal" }, 2))).not.toBe(before);
  });

  it("define five app-owned, merchant-readable customer fields typed for segment filters", () => {
    const definitions = customerMetafieldDefinitions();
    expect(definitions.map((definition) => [definition.key, definition.type])).toEqual([
      ["historical_ltv", "number_decimal"],
      ["predicted_clv", "number_decimal"],
      ["probability_alive", "number_decimal"],
      ["rfm_group", "single_line_text_field"],
      ["value_tier", "single_line_text_field"],
    ]);
    expect(definitions.every((definition) => definition.namespace === "$app:tenure" && definition.access?.admin === "MERCHANT_READ")).toBe(true);
  });
});
