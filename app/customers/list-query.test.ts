import { describe, expect, it } from "vitest";
import {
  CUSTOMER_SORTS,
  appliedSort,
  type DecodedCursor,
  customerListParams,
  decodeCursor,
  encodeCursor,
  parseCustomerListParams,
  parseSearch,
  parseSegment,
  sortsFor,
} from "./list-query";

const cursor = (overrides: Partial<DecodedCursor> = {}): DecodedCursor => ({
  sort: "historical_ltv",
  direction: "desc",
  travel: "next",
  position: { value: "1234.5000", id: "7000000000123" },
  ...overrides,
});

describe("page cursors", () => {
  it("round-trip every sort's values, in both directions and both travels, as URL-safe text", () => {
    const values: Record<(typeof CUSTOMER_SORTS)[number], Array<string | null>> = {
      historical_ltv: ["0.0000", "-12.5000", "123456789.1234"],
      predicted_clv: ["140.2000", null],
      orders: ["0", "17"],
      last_order: ["2026-11-24 10:11:12.123", "2025-01-31 00:00:00", null],
      probability_alive: ["1", "0.7234567891234567", "1e-05", null],
    };
    for (const sort of CUSTOMER_SORTS) {
      for (const value of values[sort]) {
        for (const direction of ["desc", "asc"] as const) {
          for (const travel of ["next", "previous"] as const) {
            const original = cursor({ sort, direction, travel, position: { value, id: "9223372036854775807" } });
            const token = encodeCursor(original);
            expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
            expect(decodeCursor(token, { sort, direction })).toEqual(original);
          }
        }
      }
    }
  });

  it("are ignored when made for another sort or direction (the list starts again at page 1)", () => {
    const token = encodeCursor(cursor());
    expect(decodeCursor(token, { sort: "orders", direction: "desc" })).toBeNull();
    expect(decodeCursor(token, { sort: "historical_ltv", direction: "asc" })).toBeNull();
  });

  it("reject anything that could reach SQL malformed: tampered values, ids, nulls where no value is missing", () => {
    const expected = { sort: "historical_ltv", direction: "desc" } as const;
    const forge = (payload: unknown) => btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(decodeCursor(forge(["historical_ltv", "desc", "n", "1'; DROP TABLE x; --", "1"]), expected)).toBeNull();
    expect(decodeCursor(forge(["historical_ltv", "desc", "n", "12.5", "-1"]), expected)).toBeNull();
    expect(decodeCursor(forge(["historical_ltv", "desc", "n", "12.5", "9223372036854775808"]), expected)).toBeNull();
    expect(decodeCursor(forge(["historical_ltv", "desc", "n", null, "1"]), expected)).toBeNull();
    expect(decodeCursor(forge(["historical_ltv", "desc", "x", "12.5", "1"]), expected)).toBeNull();
    expect(decodeCursor(forge(["historical_ltv", "desc", "n", 12.5, "1"]), expected)).toBeNull();
    expect(decodeCursor(forge({ sort: "historical_ltv" }), expected)).toBeNull();
    expect(decodeCursor(forge(["last_order", "desc", "n", "2026-02-30 10:00:00", "1"]), { sort: "last_order", direction: "desc" })).toBeNull();
    expect(decodeCursor(forge(["orders", "desc", "n", "99999999999", "1"]), { sort: "orders", direction: "desc" })).toBeNull();
    expect(decodeCursor(forge(["probability_alive", "desc", "n", "NaN", "1"]), { sort: "probability_alive", direction: "desc" })).toBeNull();
    for (const junk of ["", "%%%", "bm90IGpzb24", "x".repeat(600), null, undefined]) expect(decodeCursor(junk, expected)).toBeNull();
  });
});

describe("list URL parameters", () => {
  it("default to historical LTV, highest first, page 1", () => {
    expect(parseCustomerListParams(new URLSearchParams(""))).toEqual({ sort: "historical_ltv", direction: "desc", cursor: null });
  });

  it("keep valid values and drop invalid ones to their defaults, never throwing", () => {
    expect(parseCustomerListParams(new URLSearchParams("sort=predicted_clv&dir=asc&q=%20anna%20&cursor=abc&limit=20&playbook=win_back"))).toEqual({
      sort: "predicted_clv",
      direction: "asc",
      search: "anna",
      cursor: "abc",
      limit: 20,
      audience: { playbook: "win_back" },
    });
    expect(parseCustomerListParams(new URLSearchParams("sort=email&dir=sideways&q=&limit=100000&playbook=../../x&cursor="))).toEqual({
      sort: "historical_ltv",
      direction: "desc",
      cursor: null,
    });
    expect(parseCustomerListParams(new URLSearchParams(`q=${"a".repeat(500)}`)).search).toHaveLength(100);
  });

  it("are written back without defaults, so links stay short", () => {
    expect(customerListParams({ sort: "historical_ltv", direction: "desc", search: "", cursor: null })).toEqual({});
    expect(customerListParams({ sort: "orders", direction: "asc", search: "anna", cursor: "c1", audience: { playbook: "vip" } })).toEqual({
      sort: "orders",
      dir: "asc",
      q: "anna",
      cursor: "c1",
      playbook: "vip",
    });
  });
});

describe("sorts a list offers", () => {
  it("every sort for the whole shop and audiences, historical LTV only within a segment (its keyset index)", () => {
    expect(sortsFor({})).toEqual(CUSTOMER_SORTS);
    expect(sortsFor({ segment: { kind: "rfm", key: "champions" } })).toEqual(["historical_ltv"]);
    expect(appliedSort({ sort: "orders" })).toBe("orders");
    expect(appliedSort({ sort: "orders", segment: { kind: "tier", key: "top1" } })).toBe("historical_ltv");
  });
});

describe("segments in URLs", () => {
  it("accept the RFM groups and value tiers only", () => {
    expect(parseSegment("rfm", "champions")).toEqual({ kind: "rfm", key: "champions" });
    expect(parseSegment("tier", "top1")).toEqual({ kind: "tier", key: "top1" });
    expect(parseSegment("rfm", "top1")).toBeNull();
    expect(parseSegment("tier", "champions")).toBeNull();
    expect(parseSegment("churn", "high")).toBeNull();
    expect(parseSegment(undefined, undefined)).toBeNull();
  });
});

describe("search", () => {
  it("matches text from 3 characters, lowered, with LIKE's wildcards escaped", () => {
    expect(parseSearch("  ")).toEqual({ kind: "none" });
    expect(parseSearch("an")).toEqual({ kind: "tooShort", term: "an" });
    expect(parseSearch("Anna@Gmail")).toEqual({ kind: "match", term: "Anna@Gmail", id: null, pattern: "%anna@gmail%" });
    expect(parseSearch("50%_off\\")).toEqual({ kind: "match", term: "50%_off\\", id: null, pattern: "%50\\%\\_off\\\\%" });
    expect(parseSearch("José  María")).toMatchObject({ pattern: "%josé maría%" });
  });

  it("finds a customer by id however the merchant pastes it; a bare number may also be part of an email", () => {
    expect(parseSearch("7000000000123")).toEqual({ kind: "match", term: "7000000000123", id: "7000000000123", pattern: "%7000000000123%" });
    expect(parseSearch("42")).toEqual({ kind: "match", term: "42", id: "42", pattern: null });
    expect(parseSearch("#7000000000123")).toMatchObject({ id: "7000000000123", pattern: null });
    expect(parseSearch("Customer #7000000000123")).toMatchObject({ id: "7000000000123", pattern: null });
    expect(parseSearch("gid://shopify/Customer/7000000000123")).toMatchObject({ id: "7000000000123", pattern: null });
    // Beyond PostgreSQL's bigint: text only.
    expect(parseSearch("99999999999999999999")).toMatchObject({ id: null, pattern: "%99999999999999999999%" });
  });
});
