import DashboardPage from "~/pages/dashboard";
import { dashboardAction, dashboardLoader } from "~/pages/dashboard.server";

export const loader = dashboardLoader;
export const action = dashboardAction;
export default DashboardPage;
