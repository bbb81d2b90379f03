// A table whose cells are shaded by value AND print the value: the shading shows the pattern at a
// glance, the numbers make it readable without colour (and by a screen reader, with row and column
// headers). Polaris' type and tokens; wide tables scroll sideways with the row headings kept in view.
import { Text } from "@shopify/polaris";
import type { CSSProperties, ReactNode } from "react";

export type HeatCell = {
  /** Drives the shade (0 … scaleMax); null = no value (e.g. not reached yet): an unshaded cell. */
  value: number | null;
  /** What the cell prints. */
  text: string;
};

export type HeatRow = {
  /** The row header (first column). */
  heading: string;
  /** A second line under the heading, e.g. the row's size. */
  detail?: string;
  cells: readonly HeatCell[];
  /** A summary row (bold, set apart), such as an average. */
  summary?: boolean;
};

type HeatTableProps = {
  /** The table's caption (visible), which also names the scrolling region. */
  caption: string;
  /** Heading of the first column. */
  rowHeading: string;
  columns: readonly string[];
  rows: readonly HeatRow[];
  /** The value shaded darkest; values above it are shaded as it. */
  scaleMax: number;
  /** Optional note under the table (e.g. what an empty cell means). */
  footnote?: ReactNode;
};

// White → a mid blue. The darkest shade keeps Polaris' text colour (#303030) above 4.5:1 contrast.
const LIGHT = [255, 255, 255] as const;
const DARK = [127, 166, 232] as const;

export function heatColour(value: number | null, scaleMax: number): string | undefined {
  if (value === null || !Number.isFinite(value) || !(scaleMax > 0)) return undefined;
  const t = Math.max(0, Math.min(1, value / scaleMax));
  const [r, g, b] = LIGHT.map((light, i) => Math.round(light + ((DARK[i] as number) - light) * t)) as [number, number, number];
  return `rgb(${r}, ${g}, ${b})`;
}

const border = "var(--p-border-width-025) solid var(--p-color-border-secondary)";
const cellStyle: CSSProperties = { padding: "var(--p-space-150) var(--p-space-200)", textAlign: "right", whiteSpace: "nowrap", borderBottom: border };
const stickyStyle: CSSProperties = {
  position: "sticky",
  left: 0,
  zIndex: 1,
  background: "var(--p-color-bg-surface)",
  textAlign: "left",
  padding: "var(--p-space-150) var(--p-space-300) var(--p-space-150) 0",
  whiteSpace: "nowrap",
  borderBottom: border,
};

export function HeatTable({ caption, rowHeading, columns, rows, scaleMax, footnote }: HeatTableProps) {
  return (
    <div>
      {/* A scrolling region must be reachable by keyboard: it takes focus and is named by the caption. */}
      <div role="region" aria-label={caption} tabIndex={0} style={{ overflowX: "auto", maxWidth: "100%" }}>
        <table style={{ borderCollapse: "collapse", minWidth: "100%" }}>
          <caption style={{ textAlign: "left", paddingBottom: "var(--p-space-200)" }}>
            <Text as="span" variant="bodySm" tone="subdued">
              {caption}
            </Text>
          </caption>
          <thead>
            <tr>
              <th scope="col" style={{ ...stickyStyle, verticalAlign: "bottom" }}>
                <Text as="span" variant="bodySm" fontWeight="semibold">
                  {rowHeading}
                </Text>
              </th>
              {columns.map((column) => (
                <th key={column} scope="col" style={{ ...cellStyle, verticalAlign: "bottom" }}>
                  <Text as="span" variant="bodySm" fontWeight="semibold" numeric>
                    {column}
                  </Text>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.heading}>
                <th scope="row" style={{ ...stickyStyle, ...(row.summary ? { borderTop: "var(--p-border-width-050) solid var(--p-color-border)" } : {}) }}>
                  <Text as="span" variant="bodySm" fontWeight={row.summary ? "bold" : "medium"}>
                    {row.heading}
                  </Text>
                  {row.detail && (
                    <Text as="span" variant="bodyXs" tone="subdued">
                      {" "}
                      {row.detail}
                    </Text>
                  )}
                </th>
                {row.cells.map((cell, index) => (
                  <td
                    key={columns[index] ?? index}
                    style={{
                      ...cellStyle,
                      background: heatColour(cell.value, scaleMax),
                      ...(row.summary ? { borderTop: "var(--p-border-width-050) solid var(--p-color-border)" } : {}),
                    }}
                  >
                    <Text as="span" variant="bodySm" numeric fontWeight={row.summary ? "bold" : "regular"}>
                      {cell.text}
                    </Text>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {footnote && (
        <Text as="p" variant="bodySm" tone="subdued">
          {footnote}
        </Text>
      )}
    </div>
  );
}
