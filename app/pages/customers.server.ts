// The Customers page: every customer, searchable and sortable, a page at a time; and its CSV.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseCustomerListParams } from "~/customers/list-query";
import { csvFilename } from "~/customers/csv";
import { listCustomers, streamCustomersCsv } from "~/customers/list.server";
import { readModelStatus } from "~/customers/model-status.server";
import { requireShop } from "~/shops/request-shop.server";

export async function customersLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const params = parseCustomerListParams(new URL(request.url).searchParams);
  const [page, model] = await Promise.all([listCustomers({ shop, ...params }), readModelStatus(shop)]);
  return {
    page,
    model,
    query: { sort: page.sort, direction: page.direction, search: params.search ?? "", audience: params.audience ?? null, paged: Boolean(params.cursor) },
  };
}

/** The list's customers as CSV: the same search, audience and order as the page, every page of it. */
export async function customersExportLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const { sort, direction, search, audience } = parseCustomerListParams(new URL(request.url).searchParams);
  const what = audience ? `audience-${audience.playbook}` : search ? "customers-search" : "customers";
  return streamCustomersCsv({ shop, sort, direction, search, audience }, { filename: csvFilename(what, new Date()) });
}
