import DashboardPage from "~/pages/dashboard";
import { dashboardLoader } from "~/pages/dashboard.server";

export const loader = dashboardLoader;
export default DashboardPage;
