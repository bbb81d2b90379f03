import { suggestionExportLoader } from "~/pages/suggestion-detail.server";

export const loader = suggestionExportLoader;
