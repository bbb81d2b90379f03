// A line chart whose lines differ by dash pattern as well as colour, with a legend that shows each
// pattern and each line's last value in text: readable without colour. Render inside ChartFrame.
import { LineChart } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ChartPoint } from "./bar-charts";

/** Distinct on a white background, and apart for the common colour-vision deficiencies. */
const COLOURS = ["#2c6ecb", "#c05717", "#1f8a65", "#8051c8", "#b98900", "#d4357a"] as const;
/** SVG stroke-dasharray per line: solid, dashed, dotted, dash-dot, long dash, dense dots. */
const PATTERNS = ["none", "8 5", "2 4", "12 4 2 4", "16 6", "1 2"] as const;

export const MAX_LINE_SERIES = COLOURS.length;

export type LineSeries = { name: string; points: readonly ChartPoint[] };

type PatternedLineChartProps = {
  /** At most MAX_LINE_SERIES lines (more cannot be told apart). */
  series: readonly LineSeries[];
  formatValue: (value: number) => string;
  /** The legend's heading, e.g. "Cohorts". */
  legendTitle: string;
  /** Text after each legend entry, e.g. the line's last value; null for none. */
  legendValue?: (series: LineSeries) => string | null;
  /** Height of the plot in px (the legend comes below). */
  height?: number;
};

const toNumber = (value: string | number | null) => (value === null ? Number.NaN : Number(value));

function Swatch({ index }: { index: number }) {
  const colour = COLOURS[index % COLOURS.length];
  const pattern = PATTERNS[index % PATTERNS.length];
  return (
    <svg width="32" height="10" viewBox="0 0 32 10" aria-hidden="true" focusable="false">
      <line x1="1" y1="5" x2="31" y2="5" stroke={colour} strokeWidth="3" strokeDasharray={pattern} strokeLinecap="butt" />
    </svg>
  );
}

export function PatternedLineChart({ series, formatValue, legendTitle, legendValue, height = 260 }: PatternedLineChartProps) {
  if (series.length > MAX_LINE_SERIES) throw new RangeError(`PatternedLineChart: at most ${MAX_LINE_SERIES} series, got ${series.length}`);
  return (
    <BlockStack gap="300">
      <div style={{ height }}>
        <LineChart
          data={series.map((line, index) => ({
            name: line.name,
            color: COLOURS[index % COLOURS.length],
            data: line.points.map((point) => ({ key: point.label, value: point.value })),
            styleOverride: { line: { strokeDasharray: PATTERNS[index % PATTERNS.length], hasArea: false, width: 2 } },
          }))}
          showLegend={false}
          isAnimated={false}
          yAxisOptions={{ labelFormatter: (value) => formatValue(toNumber(value)) }}
        />
      </div>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {legendTitle}
        </Text>
        <InlineStack gap="400" wrap>
          {series.map((line, index) => {
            const value = legendValue?.(line) ?? null;
            return (
              <InlineStack key={line.name} gap="150" blockAlign="center" wrap={false}>
                <Swatch index={index} />
                <Text as="span" variant="bodySm">
                  {line.name}
                  {value !== null ? `: ${value}` : ""}
                </Text>
              </InlineStack>
            );
          })}
        </InlineStack>
      </BlockStack>
    </BlockStack>
  );
}
