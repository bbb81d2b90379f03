// CSV of one segment's customers (same search and order as its page); a resource route, no page.
import { segmentExportLoader } from "~/pages/segment-detail.server";

export const loader = segmentExportLoader;
