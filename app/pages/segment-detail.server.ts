// A segment's page (/segments/rfm/<group>, /segments/tier/<tier>): its figures and its customers; and
// its CSV. Unknown segments are 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { type CustomerSegment, parseCustomerListParams, parseSegment, sortsFor } from "~/customers/list-query";
import { csvFilename } from "~/customers/csv";
import { countSegmentCustomers, listCustomers, streamCustomersCsv } from "~/customers/list.server";
import { readModelStatus } from "~/customers/model-status.server";
import { readSegmentFigures } from "~/customers/segment-figures.server";
import { createI18n } from "~/i18n/i18n";
import { requireShop } from "~/shops/request-shop.server";
import { type ShopifyActionResult, loadShopifyActions, runShopifyAction } from "./shopify-actions.server";

function segmentFrom(params: LoaderFunctionArgs["params"]): CustomerSegment {
  const segment = parseSegment(params.kind, params.key);
  if (!segment) throw new Response("Not found", { status: 404 });
  return segment;
}

export async function segmentDetailLoader({ request, params }: LoaderFunctionArgs) {
  const shopRequest = await requireShop(request);
  const { shop } = shopRequest;
  const segment = segmentFrom(params);
  const { sort, direction, search, cursor, limit } = parseCustomerListParams(new URL(request.url).searchParams);
  const [page, model, figures, shopify] = await Promise.all([
    listCustomers({ shop, sort, direction, search, cursor, limit, segment }),
    readModelStatus(shop),
    readSegmentFigures(shop, segment),
    loadShopifyActions(shopRequest, { segment }, segment.key),
  ]);
  // Without the report's figures, at least the count (an index-only count on the segment's index).
  const count = figures ? figures.customers : await countSegmentCustomers({ shop, segment });
  return {
    segment,
    page,
    model,
    figures,
    count,
    sorts: sortsFor({ segment }),
    shopify,
    // The sort the list was read in (a segment offers historical LTV only).
    query: { sort: page.sort, direction: page.direction, search: search ?? "", audience: null, paged: Boolean(cursor) },
  };
}

export async function segmentExportLoader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const segment = segmentFrom(params);
  const { sort, direction, search } = parseCustomerListParams(new URL(request.url).searchParams);
  return streamCustomersCsv({ shop, sort, direction, search, segment }, { filename: csvFilename(`${segment.kind}-${segment.key}`, new Date()) });
}

/** The segment page's "In Shopify" buttons: tag its customers, create a Shopify segment from it. */
export async function segmentDetailAction({ request, params }: ActionFunctionArgs): Promise<ShopifyActionResult> {
  const shopRequest = await requireShop(request);
  const segment = segmentFrom(params);
  const { t } = createI18n(shopRequest.locale);
  const segmentName = `Tenure – ${t(`segments.${segment.kind}.${segment.key}`)}`;
  return runShopifyAction(shopRequest, await request.formData(), { members: { segment }, segmentName });
}
