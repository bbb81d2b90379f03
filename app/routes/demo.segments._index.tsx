import SegmentsPage from "~/pages/segments";
import { segmentsLoader } from "~/pages/segments.server";

export const loader = segmentsLoader;
export default SegmentsPage;
