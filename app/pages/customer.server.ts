// The customer page: one customer of the shop (404 for any other id), figures, scores and orders.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readCustomerDetail } from "~/customers/customer-detail.server";
import { requireShop } from "~/shops/request-shop.server";

const notFound = () => new Response("Not found", { status: 404 });

export async function customerLoader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const id = params.id ?? "";
  if (!/^\d{1,19}$/.test(id) || BigInt(id) > 9_223_372_036_854_775_807n) throw notFound();
  const customer = await readCustomerDetail(shop, BigInt(id));
  if (!customer) throw notFound();
  return { customer };
}
