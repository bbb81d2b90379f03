// A segment's header figures from the shop's latest segments report (ShopReport.segments, built after
// each refit by app/reports/segments.server.ts): one indexed row, whatever the shop's size.
import { prisma } from "~/db.server";
import { type SegmentChange, type SegmentFigures, isSegmentsReport } from "~/ltv/segment-summary";
import type { CustomerSegment } from "./list-query";

export type SegmentHeaderFigures = SegmentFigures & {
  change: SegmentChange | null;
  /** The date the figures describe (the last scoring), YYYY-MM-DD. */
  asOf: string;
  previousAsOf: string;
  predictionHorizonMonths: number;
};

/** The segment's figures, or null when the shop has no report (of this shape) yet. */
export async function readSegmentFigures(shop: string, segment: CustomerSegment): Promise<SegmentHeaderFigures | null> {
  const latest = await prisma.shopReport.findFirst({
    where: { shopDomain: shop },
    orderBy: { computedAt: "desc" },
    select: { segments: true },
  });
  const report = latest?.segments;
  if (!isSegmentsReport(report)) return null;
  const rows: Array<{ key: string; now: SegmentFigures; change: SegmentChange | null }> = segment.kind === "rfm" ? report.rfmGroups : report.valueTiers;
  const row = rows.find((candidate) => candidate.key === segment.key);
  if (!row) return null;
  return { ...row.now, change: row.change, asOf: report.asOf, previousAsOf: report.previousAsOf, predictionHorizonMonths: report.predictionHorizonMonths };
}
