import { describe, expect, it } from "vitest";
import { ZShopifyTag, defaultTagFor } from "./shopify-tag";

describe("a tag the merchant asks Tenure to write", () => {
  it("is 1–40 characters without commas or quotes, trimmed", () => {
    expect(ZShopifyTag.parse("  tenure-vip ")).toBe("tenure-vip");
    for (const bad of ["", "   ", "vip, gold", "o'brien", 'say "hi"', "x".repeat(41)]) expect(ZShopifyTag.safeParse(bad).success).toBe(false);
  });

  it("defaults to tenure-<key>, with dashes", () => {
    expect(defaultTagFor("needs_attention")).toBe("tenure-needs-attention");
    expect(defaultTagFor("replenishment-123456789012345678901234567890").length).toBeLessThanOrEqual(40);
    expect(ZShopifyTag.safeParse(defaultTagFor("win_back")).success).toBe(true);
  });
});
