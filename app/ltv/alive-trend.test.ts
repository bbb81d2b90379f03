import { describe, expect, it } from "vitest";
import { probabilityAliveEarlier } from "./alive-trend";
import { probabilityAlive } from "./models/bgnbd";

const cdnow = { r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426 };

describe("P(alive) a month earlier", () => {
  it("is higher for a repeat customer who has been silent since: their chance is falling", () => {
    const summary = { x: [3], tx: [20], T: [40] };
    const [earlier] = probabilityAliveEarlier(cdnow, summary, { unit: "week", daysEarlier: 28 });
    expect(earlier).toBeCloseTo(probabilityAlive(cdnow, 3, 20, 36), 12);
    expect(earlier!).toBeGreaterThan(probabilityAlive(cdnow, 3, 20, 40));
  });

  it("cannot be compared for a customer who bought within the month or had not started", () => {
    const summary = { x: [2, 0], tx: [39, 0], T: [40, 2] };
    const earlier = probabilityAliveEarlier(cdnow, summary, { unit: "week", daysEarlier: 28 });
    expect(Number.isNaN(earlier[0])).toBe(true);
    expect(Number.isNaN(earlier[1])).toBe(true);
  });
});
