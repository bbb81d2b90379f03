// "Create Shopify segment": a customer segment in the merchant's admin that follows a Tenure segment
// (by the metafields Tenure keeps on every customer) or holds a playbook's audience (by a tag Tenure
// writes first). Created once per source; asking again returns the stored one.
import type { ShopifySegment } from "@prisma/client";
import type { CustomerSegment } from "~/customers/list-query";
import { prisma } from "~/db.server";
import { log } from "~/lib/log.server";
import { SEGMENT_CREATE, type SegmentCreateData, idFromGid } from "./admin-operations";
import { type AdminClient, AdminApiError, adminClientFor } from "./admin-client.server";
import { ensureMetafieldDefinitions } from "./metafield-definitions.server";
import { MerchantWriteError } from "./merchant-write-error";
import { ZShopifyTag } from "./shopify-tag";
import { connectedToShopify } from "./sync-customers.server";
import { tagCustomers } from "./tag-customers.server";

export type SegmentSource = { segment: CustomerSegment } | { audience: string; tag: string };

export function segmentSourceKey(source: SegmentSource): string {
  if ("audience" in source) return `audience:${source.audience}`;
  return `${source.segment.kind === "rfm" ? "rfm_group" : "value_tier"}:${source.segment.key}`;
}

/** Shopify's segment id as the number the admin's URLs use. */
export function shopifySegmentNumber(segment: Pick<ShopifySegment, "segmentId">): string {
  return idFromGid(segment.segmentId).toString();
}

export async function findShopifySegment(shop: string, sourceKey: string): Promise<ShopifySegment | null> {
  return prisma.shopifySegment.findUnique({ where: { shopDomain_sourceKey: { shopDomain: shop, sourceKey } } });
}

export async function createShopifySegment(options: {
  shop: string;
  source: SegmentSource;
  /** The segment's name in the merchant's admin. */
  name: string;
  client?: AdminClient;
}): Promise<{ segment: ShopifySegment; created: boolean; taggedCustomers: number | null }> {
  const { shop, source } = options;
  const sourceKey = segmentSourceKey(source);
  const existing = await findShopifySegment(shop, sourceKey);
  if (existing) return { segment: existing, created: false, taggedCustomers: null };
  if (!(await connectedToShopify(shop))) throw new MerchantWriteError("not_connected", `${shop} has no offline session`);
  const client = options.client ?? (await adminClientFor(shop));

  let query: string;
  let taggedCustomers: number | null = null;
  if ("audience" in source) {
    const tag = ZShopifyTag.safeParse(source.tag);
    if (!tag.success) throw new MerchantWriteError("invalid_tag", "the tag must be 1–40 characters, without commas or quotes");
    // The audience has no Shopify-side field: tag it, and the segment is everyone with the tag.
    taggedCustomers = (await tagCustomers({ shop, tag: tag.data, members: { audience: source.audience } })).queued;
    query = `customer_tags CONTAINS '${tag.data}'`;
  } else {
    // A metafield filter needs the definition, and its namespace as Shopify resolved it.
    const namespace = await ensureMetafieldDefinitions(shop, client);
    if (!namespace) throw new MerchantWriteError("not_ready", "the metafield namespace is not known yet; it is after the next sync");
    const key = source.segment.kind === "rfm" ? "rfm_group" : "value_tier";
    query = `metafields.${namespace}.${key} = '${source.segment.key}'`;
  }

  let data: SegmentCreateData;
  try {
    data = await client.request<SegmentCreateData>(SEGMENT_CREATE, { name: options.name, query });
  } catch (error) {
    if (error instanceof AdminApiError) throw new MerchantWriteError("refused", error.message);
    throw error;
  }
  const { segment, userErrors } = data.segmentCreate;
  if (!segment || userErrors.length > 0) {
    await prisma.adminWriteFailure.create({
      data: { shopDomain: shop, operation: "segmentCreate", variables: { name: options.name, query }, error: userErrors.map((error) => error.message).join("; ") || "no segment returned" },
    });
    throw new MerchantWriteError("refused", userErrors.map((error) => error.message).join("; "));
  }
  const stored = await prisma.shopifySegment.upsert({
    where: { shopDomain_sourceKey: { shopDomain: shop, sourceKey } },
    create: { shopDomain: shop, sourceKey, segmentId: segment.id, name: segment.name, query: segment.query },
    update: {},
  });
  log.info("shopify_segment.created", { shop, sourceKey, segmentId: segment.id });
  return { segment: stored, created: true, taggedCustomers };
}
