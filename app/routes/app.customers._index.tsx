import CustomersPage from "~/pages/customers";
import { customersLoader } from "~/pages/customers.server";

export const loader = customersLoader;
export default CustomersPage;
