import SuggestionsPage from "~/pages/suggestions";
import { suggestionsLoader } from "~/pages/suggestions.server";

export const loader = suggestionsLoader;
export default SuggestionsPage;
