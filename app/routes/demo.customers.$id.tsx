import CustomerPage, { CustomerErrorBoundary } from "~/pages/customer";
import { customerLoader } from "~/pages/customer.server";

export const loader = customerLoader;
export const ErrorBoundary = CustomerErrorBoundary;
export default CustomerPage;
