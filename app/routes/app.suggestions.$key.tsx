import SuggestionDetailPage, { SuggestionErrorBoundary } from "~/pages/suggestion-detail";
import { suggestionDetailAction, suggestionDetailLoader } from "~/pages/suggestion-detail.server";

export const loader = suggestionDetailLoader;
// The demo routes have no action: the demo store is not connected to Shopify.
export const action = suggestionDetailAction;
export const ErrorBoundary = SuggestionErrorBoundary;
export default SuggestionDetailPage;
