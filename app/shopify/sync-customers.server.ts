// After every refit: who is high value now (with hysteresis, app/ltv/high-value.ts), stored in
// CustomerSync.highValueSince, and the Shopify writes for only what changed since Tenure last wrote:
// the high-value tag (CustomerSync.highValueTag), the five metafields (CustomerSync.metafieldsDigest)
// and the Flow trigger for customers who enter the set. The writes are queued as admin-writes jobs;
// CustomerSync's tag and digest change only when Shopify confirms them (apply-admin-write.server.ts),
// so anything not written yet is simply due again at the next sync. docs/decisions/0011.
import { prisma } from "~/db.server";
import {
  type TAdminWriteJob,
  METAFIELD_JOB_CUSTOMERS,
  TAG_JOB_CUSTOMERS,
  chunk,
  enqueueAdminWrites,
} from "~/jobs/admin-writes.server";
import { log } from "~/lib/log.server";
import { nextHighValueMembership } from "~/ltv/high-value";
import type { HighValueRule } from "~/ltv/value-tiers";
import type { ShopSettingsValues } from "~/settings/settings";
import { getShopSettings } from "~/settings/settings.server";
import { currencyDigits, customerMetafieldValues, metafieldsDigest, roundMoney } from "./customer-metafields";

export function highValueRuleOf(settings: Pick<ShopSettingsValues, "highValueRule" | "highValueThreshold" | "highValueBasis">): HighValueRule {
  const value = Number(settings.highValueThreshold);
  return settings.highValueRule === "top_percent"
    ? { basis: settings.highValueBasis, kind: "topPercent", percent: value }
    : { basis: settings.highValueBasis, kind: "atLeast", amount: value };
}

/** A shop Tenure can write to: installed, with the offline session OAuth stored. The demo store has none. */
export async function connectedToShopify(shop: string): Promise<boolean> {
  const [record, session] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
    prisma.session.findFirst({ where: { shop, isOnline: false }, select: { id: true } }),
  ]);
  return Boolean(record && !record.uninstalledAt && session);
}

type Row = {
  id: string;
  netRevenue: string;
  historical: number;
  predictedClv: string | null;
  predicted: number | null;
  probabilityAlive: number | null;
  rfmGroup: string | null;
  valueTier: string | null;
  synced: boolean;
  member: boolean;
  highValueTag: string | null;
  metafieldsDigest: string | null;
};

/** Former members and tagged customers outside the ranked population (no counted order left, deleted, redacted). */
type Outsider = { id: string; member: boolean; highValueTag: string | null; gone: boolean };

export type SyncOutcome =
  | { skipped: "not_connected" }
  | { skipped: null; customers: number; members: number; entered: number; left: number; firstSync: boolean; jobs: { tags: number; metafields: number; flow: number } };

export async function syncShopCustomers(options: { shop: string; now?: Date }): Promise<SyncOutcome> {
  const { shop } = options;
  const now = options.now ?? new Date();
  if (!(await connectedToShopify(shop))) {
    log.info("customer_sync.skipped", { shop, reason: "not_connected" });
    return { skipped: "not_connected" };
  }
  const [settings, shopRecord, latestFit] = await Promise.all([
    getShopSettings(shop),
    prisma.shop.findUniqueOrThrow({ where: { domain: shop }, select: { currency: true, metafieldNamespace: true } }),
    prisma.modelFit.findFirst({ where: { shopDomain: shop }, orderBy: { id: "desc" }, select: { insufficient: true } }),
  ]);
  const digits = currencyDigits(shopRecord.currency);
  const { metafieldNamespace } = shopRecord;
  const hasPredictions = latestFit ? !latestFit.insufficient : false;

  const later: TAdminWriteJob[] = [];
  const outcome = await prisma.$transaction(
    async (tx) => {
      // One sync of a shop at a time, whichever worker runs it: two at once would both see the same
      // customers enter and fire Flow twice.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-sync:${shop}`}, 0))`;
      const firstSync = (await tx.customerSync.findFirst({ where: { shopDomain: shop }, select: { customerId: true } })) === null;
      // The ranked population is the value tiers': scored customers with a counted order.
      const rows = await tx.$queryRaw<Row[]>`
        SELECT c."id"::text AS id, c."netRevenue"::text AS "netRevenue", c."netRevenue"::float8 AS historical,
               c."predictedClv12m"::text AS "predictedClv", c."predictedClv12m"::float8 AS predicted,
               c."probabilityAlive", c."rfmGroup", c."valueTier",
               (s."customerId" IS NOT NULL) AS synced, (s."highValueSince" IS NOT NULL) AS member,
               s."highValueTag", s."metafieldsDigest"
        FROM "Customer" c
        LEFT JOIN "CustomerSync" s ON s."shopDomain" = c."shopDomain" AND s."customerId" = c."id"
        WHERE c."shopDomain" = ${shop} AND c."ordersCount" > 0 AND c."scoredAt" IS NOT NULL
          AND c."deletedAt" IS NULL AND c."redactedAt" IS NULL
        ORDER BY c."id"`;
      const outsiders = await tx.$queryRaw<Outsider[]>`
        SELECT s."customerId"::text AS id, (s."highValueSince" IS NOT NULL) AS member, s."highValueTag", (c."id" IS NULL OR c."deletedAt" IS NOT NULL OR c."redactedAt" IS NOT NULL) AS gone
        FROM "CustomerSync" s
        LEFT JOIN "Customer" c ON c."shopDomain" = s."shopDomain" AND c."id" = s."customerId"
        WHERE s."shopDomain" = ${shop} AND (s."highValueSince" IS NOT NULL OR s."highValueTag" IS NOT NULL)
          AND NOT (c."ordersCount" > 0 AND c."scoredAt" IS NOT NULL AND c."deletedAt" IS NULL AND c."redactedAt" IS NULL)`;

      const n = rows.length;
      const change = nextHighValueMembership(
        highValueRuleOf(settings),
        {
          historical: Float64Array.from(rows, (row) => row.historical),
          predicted: hasPredictions ? Float64Array.from(rows, (row) => row.predicted ?? 0) : null,
        },
        Uint8Array.from(rows, (row) => (row.member ? 1 : 0)),
      );
      const entered = new Set(change.entered);
      const left = new Set(change.left);

      // Membership is Tenure's own decision: stored now. Customers never synced get their row.
      // Timestamps travel as UTC ISO text: the columns are timestamp(3) holding UTC, as Prisma writes them.
      const at = now.toISOString();
      const fresh = rows.flatMap((row, index) => (row.synced ? [] : [{ id: row.id, since: entered.has(index) ? at : null }]));
      for (const batch of chunk(fresh, 5_000)) {
        await tx.$executeRaw`
          INSERT INTO "CustomerSync" ("shopDomain", "customerId", "highValueSince", "updatedAt")
          SELECT ${shop}, u.id, u.since, now()
          FROM unnest(${batch.map((item) => item.id)}::text[]::bigint[], ${batch.map((item) => item.since)}::text[]::timestamp[]) AS u(id, since)
          ON CONFLICT ("shopDomain", "customerId") DO NOTHING`;
      }
      const moved = [
        ...rows.filter((row, index) => row.synced && (entered.has(index) || left.has(index))).map((row) => ({ id: row.id, since: row.member ? null : at })),
        ...outsiders.filter((outsider) => outsider.member).map((outsider) => ({ id: outsider.id, since: null as string | null })),
      ];
      for (const batch of chunk(moved, 5_000)) {
        await tx.$executeRaw`
          UPDATE "CustomerSync" AS s SET "highValueSince" = u.since, "updatedAt" = now()
          FROM unnest(${batch.map((item) => item.id)}::text[]::bigint[], ${batch.map((item) => item.since)}::text[]::timestamp[]) AS u(id, since)
          WHERE s."shopDomain" = ${shop} AND s."customerId" = u.id`;
      }
      // Customers gone from Shopify keep no tag there to remove.
      const gone = outsiders.filter((outsider) => outsider.gone).map((outsider) => outsider.id);
      if (gone.length > 0) {
        await tx.$executeRaw`
          UPDATE "CustomerSync" SET "highValueTag" = NULL, "updatedAt" = now()
          WHERE "shopDomain" = ${shop} AND "customerId" = ANY(${gone}::text[]::bigint[])`;
      }

      // Tags: what Shopify should carry (Tenure's tag on members, when auto-tagging is on) against
      // what Tenure last wrote. Covers entering, leaving, a renamed tag and auto-tagging turned off.
      const tagChanges: Array<{ customerId: string; remove: string | null; add: string | null }> = [];
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        const wanted = settings.autoTagging && change.members[i] === 1 ? settings.tagName : null;
        if (wanted !== row.highValueTag) tagChanges.push({ customerId: row.id, remove: row.highValueTag, add: wanted });
      }
      for (const outsider of outsiders) {
        if (outsider.highValueTag && !outsider.gone) tagChanges.push({ customerId: outsider.id, remove: outsider.highValueTag, add: null });
      }

      const metafieldChanges: Array<{ customerId: string; values: Record<string, string>; digest: string }> = [];
      for (const row of settings.writeMetafields ? rows : []) {
        const values = customerMetafieldValues(
          {
            netRevenue: row.netRevenue,
            predictedClv: hasPredictions ? row.predictedClv : null,
            probabilityAlive: hasPredictions ? row.probabilityAlive : null,
            rfmGroup: row.rfmGroup,
            valueTier: row.valueTier,
          },
          digits,
        );
        const digest = metafieldsDigest(values);
        if (digest !== row.metafieldsDigest) metafieldChanges.push({ customerId: row.id, values, digest });
      }

      // Flow fires for customers who become high value; on a shop's first sync every existing
      // high-value customer "enters", which is not news, so it does not fire then.
      const flowCustomers = firstSync
        ? []
        : change.entered.map((index) => {
            const row = rows[index]!;
            return {
              customerId: row.id,
              historicalLtv: roundMoney(row.netRevenue, digits),
              predictedClv: hasPredictions && row.predictedClv !== null ? roundMoney(row.predictedClv, digits) : null,
              valueTier: row.valueTier ?? "rest",
            };
          });
      const flowJobs: TAdminWriteJob[] = chunk(flowCustomers, TAG_JOB_CUSTOMERS).map((customers) => ({ kind: "high_value_flow", shop, customers }));
      // Queued before the membership commits: if the commit fails, the next sync fires again
      // (at least once) rather than never.
      await enqueueAdminWrites(flowJobs);

      later.push(...chunk(tagChanges, TAG_JOB_CUSTOMERS).map((changes): TAdminWriteJob => ({ kind: "high_value_tags", shop, changes })));
      later.push(...chunk(metafieldChanges, METAFIELD_JOB_CUSTOMERS).map((customers): TAdminWriteJob => ({ kind: "metafields", shop, customers })));
      // Metafields turned off: delete what Tenure wrote, if anything (definitions known, or values confirmed).
      if (!settings.writeMetafields && (metafieldNamespace !== null || rows.some((row) => row.metafieldsDigest !== null))) {
        later.push({ kind: "remove_metafields", shop });
      }
      return {
        customers: n,
        members: change.members.reduce((sum, flag) => sum + flag, 0),
        entered: change.entered.length,
        left: change.left.length + outsiders.filter((outsider) => outsider.member).length,
        firstSync,
        jobs: { tags: 0, metafields: 0, flow: flowJobs.length },
      };
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  // Tag and metafield jobs read CustomerSync rows this sync created: queued once they are committed.
  await enqueueAdminWrites(later);
  const jobs = {
    ...outcome.jobs,
    tags: later.filter((job) => job.kind === "high_value_tags").length,
    metafields: later.filter((job) => job.kind === "metafields").length,
  };
  log.info("customer_sync.done", { shop, customers: outcome.customers, members: outcome.members, entered: outcome.entered, left: outcome.left, firstSync: outcome.firstSync, tagJobs: jobs.tags, metafieldJobs: jobs.metafields, flowJobs: jobs.flow });
  return { skipped: null, ...outcome, jobs };
}
