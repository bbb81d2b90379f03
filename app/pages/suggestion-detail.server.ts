// One playbook's audience (/suggestions/<kind>, or one product's, pair's or category's:
// /suggestions/replenishment-<product>…), paged like every customer list, and its CSV.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseCustomerListParams } from "~/customers/list-query";
import { csvFilename, listCustomers, streamCustomersCsv } from "~/customers/list.server";
import { readModelStatus } from "~/customers/model-status.server";
import { PLAYBOOK_KINDS } from "~/ltv/suggestions";
import { createI18n } from "~/i18n/i18n";
import { requireShop } from "~/shops/request-shop.server";
import { type ShopifyActionResult, loadShopifyActions, runShopifyAction } from "./shopify-actions.server";
import { type StoredPlaybook, latestSuggestions } from "./suggestions.server";

const AUDIENCE_KEY = /^([a-z_]+)(?:-([0-9]+)(?:-([0-9]+))?)?$/;

export type AudienceFocus = { key: string; playbook: StoredPlaybook; group: string | null; count: number };

/** The playbook (and group) an audience key names in the latest report; 404 when it is not there. */
async function audienceFocus(shop: string, key: string | undefined): Promise<AudienceFocus> {
  const notFound = new Response("Not found", { status: 404 });
  const match = key ? AUDIENCE_KEY.exec(key) : null;
  if (!key || !match || !PLAYBOOK_KINDS.includes(match[1] as StoredPlaybook["kind"])) throw notFound;
  const latest = await latestSuggestions(shop);
  const playbook = latest?.report.playbooks.find((candidate) => candidate.kind === match[1]);
  if (!playbook) throw notFound;
  const [, , first, second] = match;
  if (first === undefined) return { key, playbook, group: null, count: playbook.audienceCount };
  if (playbook.kind === "replenishment" && second === undefined) {
    const product = playbook.products.find((candidate) => candidate.productId === first);
    if (product) return { key, playbook, group: product.title, count: product.customerCount };
  }
  if (playbook.kind === "cross_sell" && second !== undefined) {
    const pair = playbook.pairs.find((candidate) => candidate.boughtProductId === first && candidate.suggestedProductId === second);
    if (pair) return { key, playbook, group: `${pair.boughtTitle} → ${pair.suggestedTitle}`, count: pair.customerCount };
  }
  if (playbook.kind === "category_interest" && second === undefined) {
    const category = playbook.categories[Number(first)];
    if (category) return { key, playbook, group: category.category, count: category.customerCount };
  }
  throw notFound;
}

export async function suggestionDetailLoader({ request, params }: LoaderFunctionArgs) {
  const shopRequest = await requireShop(request);
  const { shop } = shopRequest;
  const focus = await audienceFocus(shop, params.key);
  const { sort, direction, search, cursor } = parseCustomerListParams(new URL(request.url).searchParams);
  const audience = { playbook: focus.key };
  const [page, model, shopify] = await Promise.all([
    listCustomers({ shop, sort, direction, search, cursor, audience }),
    readModelStatus(shop),
    loadShopifyActions(shopRequest, { audience: focus.key, tag: "" }, focus.key),
  ]);
  return { focus, page, model, shopify, query: { sort, direction, search: search ?? "", audience, paged: Boolean(cursor) } };
}

export async function suggestionExportLoader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const focus = await audienceFocus(shop, params.key);
  const { sort, direction, search } = parseCustomerListParams(new URL(request.url).searchParams);
  return streamCustomersCsv({ shop, sort, direction, search, audience: { playbook: focus.key } }, { filename: csvFilename(focus.key, new Date()) });
}

/** The audience page's "In Shopify" buttons: tag its customers; tag them and create a segment of the tag. */
export async function suggestionDetailAction({ request, params }: ActionFunctionArgs): Promise<ShopifyActionResult> {
  const shopRequest = await requireShop(request);
  const focus = await audienceFocus(shopRequest.shop, params.key);
  const { t } = createI18n(shopRequest.locale);
  const playbook = t(`kinds.${focus.playbook.kind}.title`, { ns: "suggestions" });
  const segmentName = `Tenure – ${focus.group ? `${playbook}: ${focus.group}` : playbook}`;
  return runShopifyAction(shopRequest, await request.formData(), { members: { audience: focus.key }, segmentName });
}
