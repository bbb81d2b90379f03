// Single-series bar charts: one colour, every bar named on its axis, so nothing depends on colour.
// Render them inside ChartFrame (browser only, with the table beside them).
import { BarChart, SimpleBarChart } from "@shopify/polaris-viz";

export type ChartPoint = {
  /** The bar's name as the merchant reads it (already translated and formatted). */
  label: string;
  value: number | null;
};

type BarChartProps = {
  /** The series' name (tooltips). */
  name: string;
  points: readonly ChartPoint[];
  /** Values on the axis, in tooltips and labels. */
  formatValue: (value: number) => string;
  /** In px (the chart fills it). */
  height?: number;
};

const toNumber = (value: string | number | null) => (value === null ? Number.NaN : Number(value));
const series = (name: string, points: readonly ChartPoint[]) => [{ name, data: points.map((point) => ({ key: point.label, value: point.value })) }];

/** Vertical bars (a histogram, counts by month…). */
export function ColumnChart({ name, points, formatValue, height = 280 }: BarChartProps) {
  return (
    <div style={{ height }}>
      <BarChart
        data={series(name, points)}
        showLegend={false}
        isAnimated={false}
        yAxisOptions={{ labelFormatter: (value) => formatValue(toNumber(value)) }}
        xAxisOptions={{ allowLineWrap: true }}
      />
    </div>
  );
}

/** Horizontal bars with each value printed at the end of its bar (shares, rankings). */
export function BarListChart({ name, points, formatValue, height = 280 }: BarChartProps) {
  return (
    <div style={{ height }}>
      <SimpleBarChart
        data={series(name, points)}
        showLegend={false}
        isAnimated={false}
        xAxisOptions={{ labelFormatter: (value) => formatValue(toNumber(value)) }}
      />
    </div>
  );
}
