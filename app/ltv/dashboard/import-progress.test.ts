import { describe, expect, it } from "vitest";
import { importPercent } from "./import-progress";

describe("import progress", () => {
  it("is the share of expected orders stored, rounded down", () => {
    expect(importPercent(21_000, 50_000)).toBe(42);
    expect(importPercent(499, 50_000)).toBe(0);
  });

  it("stops at 99 % until the import finishes, even past the expected count", () => {
    expect(importPercent(49_999, 50_000)).toBe(99);
    expect(importPercent(50_000, 50_000)).toBe(99);
    expect(importPercent(51_200, 50_000)).toBe(99);
  });

  it("is unknown without an expected count", () => {
    expect(importPercent(10, null)).toBeNull();
    expect(importPercent(10, 0)).toBeNull();
  });
});
