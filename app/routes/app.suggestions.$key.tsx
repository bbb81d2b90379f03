import SuggestionDetailPage, { SuggestionErrorBoundary } from "~/pages/suggestion-detail";
import { suggestionDetailLoader } from "~/pages/suggestion-detail.server";

export const loader = suggestionDetailLoader;
export const ErrorBoundary = SuggestionErrorBoundary;
export default SuggestionDetailPage;
