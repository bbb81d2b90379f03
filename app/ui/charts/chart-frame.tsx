// Frames a Polaris Viz chart so it works in a server-rendered page and for everyone:
// - Polaris Viz measures its container in the browser (and numbers its SVG ids as it goes), so the
//   chart renders only after hydration: the server and the first browser render draw the same empty
//   box of the chart's height, so hydration matches and the layout does not jump.
// - Every chart comes with its table: a "Show as table" toggle swaps the chart for the same figures
//   in a table (readable without colour, with a screen reader, and copyable).
// - For assistive technology the table is the chart's text: the drawing itself is hidden from it
//   (aria-hidden) and taken out of the tab order. Polaris Viz's own SVG semantics (role="list" and
//   "image" elements without names, focusable points) do not pass an accessibility audit.
import { PolarisVizProvider } from "@shopify/polaris-viz";
import { BlockStack, Button, InlineStack } from "@shopify/polaris";
import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from "react";

/** True once the component has hydrated in the browser (false on the server and in the first render). */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** Keeps everything inside `ref` out of the tab order, also what the chart adds as it redraws. */
function useUnfocusable(ref: RefObject<HTMLElement | null>, active: boolean) {
  useEffect(() => {
    const root = ref.current;
    if (!root || !active) return;
    const neutralise = () => {
      for (const element of root.querySelectorAll('[tabindex]:not([tabindex="-1"]), a[href], button, input, select, textarea')) {
        element.setAttribute("tabindex", "-1");
      }
    };
    neutralise();
    const observer = new MutationObserver(neutralise);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"] });
    return () => observer.disconnect();
  }, [ref, active]);
}

export type ChartFrameLabels = {
  /** The toggle's text while the chart shows ("Show as table"). */
  showTable: string;
  /** The toggle's text while the table shows ("Show as chart"). */
  showChart: string;
};

type ChartFrameProps = {
  /** Draws the chart (at its own height); called in the browser only. */
  chart: () => ReactNode;
  /** The same figures as a table. */
  table: ReactNode;
  labels: ChartFrameLabels;
  /** The chart's height in px: the space kept for it until it draws. */
  height?: number;
  /** Start with the table (e.g. when the chart would have too little to draw). */
  initiallyTable?: boolean;
};

export function ChartFrame({ chart, table, labels, height = 280, initiallyTable = false }: ChartFrameProps) {
  const hydrated = useHydrated();
  const [showTable, setShowTable] = useState(initiallyTable);
  const regionId = useId();
  const drawing = useRef<HTMLDivElement>(null);
  useUnfocusable(drawing, hydrated && !showTable);
  return (
    <BlockStack gap="300">
      {/* Above the chart's layer: Polaris Viz's hover masks reach beyond the plot's top edge. */}
      <div style={{ position: "relative", zIndex: 1 }}>
        <InlineStack align="end">
          <Button variant="plain" onClick={() => setShowTable((value) => !value)} ariaControls={regionId}>
            {showTable ? labels.showChart : labels.showTable}
          </Button>
        </InlineStack>
      </div>
      <div id={regionId}>
        {showTable ? (
          table
        ) : (
          <div ref={drawing} aria-hidden="true" style={{ minHeight: height }}>
            {hydrated && <PolarisVizProvider defaultTheme="Light">{chart()}</PolarisVizProvider>}
          </div>
        )}
      </div>
    </BlockStack>
  );
}
