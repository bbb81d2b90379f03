import SegmentDetailPage, { SegmentErrorBoundary } from "~/pages/segment-detail";
import { segmentDetailAction, segmentDetailLoader } from "~/pages/segment-detail.server";

export const loader = segmentDetailLoader;
// The demo routes have no action: the demo store is not connected to Shopify.
export const action = segmentDetailAction;
export const ErrorBoundary = SegmentErrorBoundary;
export default SegmentDetailPage;
