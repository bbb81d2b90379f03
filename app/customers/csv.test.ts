import { describe, expect, it } from "vitest";
import { csvFilename, csvText } from "./csv";

describe("CSV text fields", () => {
  it("stay plain when they can, quoted when they hold a comma, quote or line break", () => {
    expect(csvText(null)).toBe("");
    expect(csvText("anna@example.com")).toBe("anna@example.com");
    expect(csvText("O'Brien, Jr.")).toBe('"O\'Brien, Jr."');
    expect(csvText('Anna "Nan"')).toBe('"Anna ""Nan"""');
    expect(csvText("two\nlines")).toBe('"two\nlines"');
  });

  it("never let a spreadsheet run a buyer-typed name as a formula", () => {
    expect(csvText("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvText("+44 20")).toBe("'+44 20");
    expect(csvText("-1")).toBe("'-1");
    expect(csvText("@sum")).toBe("'@sum");
  });
});

describe("CSV file names", () => {
  it("name what was exported and the day, in ASCII", () => {
    const day = new Date("2026-11-25T18:00:00Z");
    expect(csvFilename("rfm-at_risk", day)).toBe("tenure-rfm-at-risk-2026-11-25.csv");
    expect(csvFilename("audience-replenishment-8000017", day)).toBe("tenure-audience-replenishment-8000017-2026-11-25.csv");
    expect(csvFilename("¿¿¿", day)).toBe("tenure-customers-2026-11-25.csv");
  });
});
