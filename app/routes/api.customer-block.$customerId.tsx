// JSON for the admin's customer block (extensions/tenure-customer-block): the block's fetch carries a
// Shopify ID token; authenticate.admin verifies it (and answers the CORS preflight), cors() adds the
// headers the extension's origin needs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { CustomerBlockError, readCustomerBlock } from "~/customer-block/customer-block.server";
import type { CustomerBlockErrorBody } from "~/customer-block/response";
import { authenticate } from "~/shopify.server";

const STATUS = { invalid_customer_id: 400, customer_not_found: 404 } as const;
const noStore = { "Cache-Control": "no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Without a bearer token the library takes the call for a page load and redirects to login; the
  // block always sends one, so anything else is simply unauthenticated. Readable cross-origin, so the
  // block can tell it from a network failure.
  if (request.method !== "OPTIONS" && !/^Bearer \S+$/.test(request.headers.get("Authorization") ?? "")) {
    const body: CustomerBlockErrorBody = { error: "unauthorized", message: "A Shopify ID token is required." };
    return Response.json(body, { status: 401, headers: { ...noStore, "Access-Control-Allow-Origin": "*" } });
  }
  const { session, cors } = await authenticate.admin(request);
  try {
    const block = await readCustomerBlock({ shop: session.shop, customerId: params.customerId ?? "" });
    return cors(Response.json(block, { headers: noStore }));
  } catch (error) {
    if (!(error instanceof CustomerBlockError)) throw error;
    const body: CustomerBlockErrorBody = { error: error.code, message: error.message };
    return cors(Response.json(body, { status: STATUS[error.code], headers: noStore }));
  }
}
