// CSV of the Customers list (same search and order); a resource route, no page.
import { customersExportLoader } from "~/pages/customers.server";

export const loader = customersExportLoader;
