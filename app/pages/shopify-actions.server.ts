// The "In Shopify" card of a segment page and a playbook audience page: what it shows (loader) and
// what its two buttons do (action). Thin: the domain is in app/shopify/.
import {
  type SegmentSource,
  createShopifySegment,
  findShopifySegment,
  segmentSourceKey,
  shopifySegmentNumber,
} from "~/shopify/create-shopify-segment.server";
import { defaultTagFor } from "~/shopify/shopify-tag";
import { connectedToShopify } from "~/shopify/sync-customers.server";
import { MerchantWriteError } from "~/shopify/merchant-write-error";
import { type TaggedMembers, tagCustomers } from "~/shopify/tag-customers.server";
import type { ShopRequest } from "~/shops/request-shop.server";

export type ShopifyActionsData = {
  /** "demo": the demo store, never connected; "disconnected": no offline session (uninstalled). */
  status: "connected" | "demo" | "disconnected";
  defaultTag: string;
  /** The Shopify segment already created from this source, with its admin link id. */
  segment: { name: string; number: string } | null;
};

export async function loadShopifyActions(request: ShopRequest, source: SegmentSource, key: string): Promise<ShopifyActionsData> {
  const defaultTag = defaultTagFor(key);
  if (request.mode === "demo") return { status: "demo", defaultTag, segment: null };
  const [connected, segment] = await Promise.all([connectedToShopify(request.shop), findShopifySegment(request.shop, segmentSourceKey(source))]);
  return {
    status: connected ? "connected" : "disconnected",
    defaultTag,
    segment: segment ? { name: segment.name, number: shopifySegmentNumber(segment) } : null,
  };
}

export type ShopifyActionResult =
  | { ok: true; intent: "tag"; queued: number; tag: string }
  | { ok: true; intent: "create_segment"; created: boolean; name: string; number: string; taggedCustomers: number | null }
  | { ok: false; error: MerchantWriteError["code"] | "demo" | "unknown_intent" };

export async function runShopifyAction(
  request: ShopRequest,
  form: FormData,
  target: { members: TaggedMembers; segmentName: string },
): Promise<ShopifyActionResult> {
  if (request.mode === "demo") return { ok: false, error: "demo" };
  const intent = form.get("intent");
  const tag = String(form.get("tag") ?? "");
  try {
    if (intent === "tag") {
      const result = await tagCustomers({ shop: request.shop, tag, members: target.members });
      return { ok: true, intent: "tag", ...result };
    }
    if (intent === "create_segment") {
      const source: SegmentSource = "audience" in target.members ? { audience: target.members.audience, tag } : { segment: target.members.segment };
      const result = await createShopifySegment({ shop: request.shop, source, name: target.segmentName });
      return { ok: true, intent: "create_segment", created: result.created, name: result.segment.name, number: shopifySegmentNumber(result.segment), taggedCustomers: result.taggedCustomers };
    }
    return { ok: false, error: "unknown_intent" };
  } catch (error) {
    if (error instanceof MerchantWriteError) return { ok: false, error: error.code };
    throw error;
  }
}
