import { describe, expect, it } from "vitest";
import { parseCustomerId } from "./customer-id";

describe("parseCustomerId", () => {
  it("reads a numeric id and a Customer GID as the same customer", () => {
    expect(parseCustomerId("7200000000000000001")).toBe(7_200_000_000_000_000_001n);
    expect(parseCustomerId("gid://shopify/Customer/7200000000000000001")).toBe(7_200_000_000_000_000_001n);
  });

  it("accepts the largest id PostgreSQL's BIGINT holds and nothing above it", () => {
    expect(parseCustomerId("9223372036854775807")).toBe(9_223_372_036_854_775_807n);
    expect(parseCustomerId("9223372036854775808")).toBeNull();
    expect(parseCustomerId("gid://shopify/Customer/9999999999999999999")).toBeNull();
  });

  it("refuses another resource's GID, signs, spaces, decimals, zero and garbage", () => {
    for (const value of [
      "gid://shopify/Order/123",
      "gid://shopify/Customer/",
      "gid://shopify/Customer/12a",
      "-5",
      "+5",
      " 5",
      "5.0",
      "0",
      "",
      "12345678901234567890",
      "not-a-customer",
    ]) {
      expect(parseCustomerId(value), value).toBeNull();
    }
  });
});
