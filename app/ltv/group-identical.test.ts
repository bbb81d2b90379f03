import { describe, expect, it } from "vitest";
import { groupIdenticalCustomers, groupIdenticalRows } from "./group-identical";

describe("grouping customers with identical (x, t_x, T)", () => {
  it("keeps one weighted row per distinct triple, sorted, and maps each customer to its row", () => {
    const x = Float64Array.from([2, 0, 0, 2, 1, 0, 2]);
    const tx = Float64Array.from([5, 3, 0, 5, 4, 0, 5]); // t_x of x = 0 does not enter the model
    const T = Float64Array.from([9, 7, 7, 9, 9, 8, 9]);
    const groups = groupIdenticalCustomers(x, tx, T);
    expect(Array.from(groups.x)).toEqual([0, 0, 1, 2]);
    expect(Array.from(groups.tx)).toEqual([0, 0, 4, 5]);
    expect(Array.from(groups.T)).toEqual([7, 8, 9, 9]);
    expect(Array.from(groups.weight)).toEqual([2, 1, 1, 3]);
    expect(Array.from(groups.rowOf)).toEqual([3, 0, 0, 3, 2, 1, 3]);
  });

  it("scales to many customers with few distinct rows", () => {
    const n = 200_000;
    const x = Float64Array.from({ length: n }, (_, i) => i % 5);
    const tx = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 7));
    const T = Float64Array.from({ length: n }, (_, i) => 10 + (i % 11));
    const groups = groupIdenticalCustomers(x, tx, T);
    expect(groups.weight.reduce((sum, w) => sum + w, 0)).toBe(n);
    expect(groups.x.length).toBe(11 + 4 * 7 * 11);
    for (let row = 1; row < groups.x.length; row++) {
      const order = (groups.x[row - 1] as number) - (groups.x[row] as number) || (groups.tx[row - 1] as number) - (groups.tx[row] as number) || (groups.T[row - 1] as number) - (groups.T[row] as number);
      expect(order).toBeLessThan(0);
    }
    for (let i = 0; i < n; i += 997) {
      const row = groups.rowOf[i] as number;
      expect([groups.x[row], groups.T[row]]).toEqual([x[i], T[i]]);
    }
  });

  it("treats −0 as 0 and groups any number of columns", () => {
    const { columns, weight, rowOf } = groupIdenticalRows([Float64Array.from([0, -0, 1, 0]), Float64Array.from([3, 3, 3, 4])]);
    expect(columns.map((column) => Array.from(column))).toEqual([
      [0, 1, 0],
      [3, 3, 4],
    ]);
    expect(Array.from(weight)).toEqual([2, 1, 1]);
    expect(Array.from(rowOf)).toEqual([0, 0, 1, 2]);
  });
});
