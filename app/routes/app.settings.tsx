import SettingsPage from "~/pages/settings";
import { settingsAction, settingsLoader } from "~/pages/settings.server";

export const loader = settingsLoader;
export const action = settingsAction;
export default SettingsPage;
