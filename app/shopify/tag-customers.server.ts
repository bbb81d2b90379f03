// "Tag these customers in Shopify": every member of a Tenure segment or playbook audience gets the
// tag, through admin-writes jobs (tagsAdd is idempotent, so tagging twice is harmless).
import type { CustomerSegment } from "~/customers/list-query";
import { prisma } from "~/db.server";
import { TAG_JOB_CUSTOMERS, type TAdminWriteJob, chunk, enqueueAdminWrites } from "~/jobs/admin-writes.server";
import { log } from "~/lib/log.server";
import { MerchantWriteError } from "./merchant-write-error";
import { ZShopifyTag } from "./shopify-tag";
import { connectedToShopify } from "./sync-customers.server";

export type TaggedMembers = { segment: CustomerSegment } | { audience: string };

async function memberIds(shop: string, members: TaggedMembers): Promise<string[]> {
  const alive = { deletedAt: null, redactedAt: null } as const;
  if ("audience" in members) {
    const rows = await prisma.suggestionMember.findMany({ where: { shopDomain: shop, playbook: members.audience }, select: { customerId: true } });
    const ids = rows.map((row) => row.customerId);
    const existing = await prisma.customer.findMany({ where: { shopDomain: shop, id: { in: ids }, ...alive }, select: { id: true } });
    return existing.map((row) => row.id.toString());
  }
  const { segment } = members;
  const rows = await prisma.customer.findMany({
    where: { shopDomain: shop, ...alive, ...(segment.kind === "rfm" ? { rfmGroup: segment.key } : { valueTier: segment.key }) },
    select: { id: true },
  });
  return rows.map((row) => row.id.toString());
}

/** Queues the tag for every member; returns how many customers were queued. */
export async function tagCustomers(options: { shop: string; tag: string; members: TaggedMembers }): Promise<{ queued: number; tag: string }> {
  const { shop } = options;
  const parsed = ZShopifyTag.safeParse(options.tag);
  if (!parsed.success) throw new MerchantWriteError("invalid_tag", "the tag must be 1–40 characters, without commas or quotes");
  if (!(await connectedToShopify(shop))) throw new MerchantWriteError("not_connected", `${shop} has no offline session`);
  const tag = parsed.data;
  const ids = await memberIds(shop, options.members);
  const jobs = chunk(ids, TAG_JOB_CUSTOMERS).map((customerIds): TAdminWriteJob => ({ kind: "tag_customers", shop, tag, customerIds }));
  await enqueueAdminWrites(jobs);
  log.info("tag_customers.queued", { shop, customers: ids.length, jobs: jobs.length });
  return { queued: ids.length, tag };
}
