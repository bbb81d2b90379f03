import SegmentDetailPage, { SegmentErrorBoundary } from "~/pages/segment-detail";
import { segmentDetailLoader } from "~/pages/segment-detail.server";

export const loader = segmentDetailLoader;
export const ErrorBoundary = SegmentErrorBoundary;
export default SegmentDetailPage;
