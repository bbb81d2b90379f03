// The report every merchant page reads (docs/decisions/0008): built by the worker at the end of each
// refit, stored as one ShopReport row, with playbook audiences replaced in SuggestionMember in the
// same transaction so a page never sees a report with another report's audiences.
import type { DailyTransactions } from "~/ltv/customer-history";
import { inTransaction, sql } from "~/pg.server";
import type { ReportContext } from "./context";
import { buildDashboardReport } from "./dashboard.server";
import { buildSegmentsReport } from "./segments.server";
import { computeSuggestions, playbookAudiences, withoutAudienceIds } from "./suggestions.server";

const MEMBER_BATCH = 20_000;
/** Reports older than this are pruned; recent ones stay for trends. */
const KEEP_REPORTS_DAYS = 90;

export type ReportInputs = {
  /** The refit's transactions, so the segments' "last month" needs no second read. */
  transactions: DailyTransactions;
  /** P(alive) 30 days earlier per customer id (NaN where not comparable), from the refit's fit. */
  previousProbabilityAlive: ReadonlyMap<string, number>;
};

export async function recordShopReport(ctx: ReportContext, inputs: ReportInputs): Promise<number> {
  // One after the other: each reads a large shop in full, and the worker shares two cores.
  const dashboard = await buildDashboardReport(ctx, { transactions: inputs.transactions });
  const segments = await buildSegmentsReport(ctx, { transactions: inputs.transactions });
  const suggestions = await computeSuggestions(ctx.shop, ctx.asOf, inputs.previousProbabilityAlive);

  return inTransaction(async (db) => {
    // One report of a shop at a time, whichever worker builds it.
    await db.query(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`report:${ctx.shop}`}, 0))`);
    const inserted = await db.query<{ id: number }>(sql`
      INSERT INTO "ShopReport" ("shopDomain", "asOf", "modelFitId", "dashboard", "segments", "suggestions")
      VALUES (${ctx.shop}, ${ctx.asOf}, ${ctx.modelFitId}, ${JSON.stringify(dashboard)}::jsonb, ${JSON.stringify(segments)}::jsonb,
              ${JSON.stringify(withoutAudienceIds(suggestions))}::jsonb)
      RETURNING "id"`);
    const reportId = inserted.rows[0]!.id;
    await db.query(sql`DELETE FROM "SuggestionMember" WHERE "shopDomain" = ${ctx.shop}`);
    for (const playbook of suggestions.playbooks) {
      for (const audience of playbookAudiences(playbook)) {
        for (let start = 0; start < audience.customerIds.length; start += MEMBER_BATCH) {
          const ids = audience.customerIds.slice(start, start + MEMBER_BATCH);
          await db.query(sql`
            INSERT INTO "SuggestionMember" ("shopDomain", "playbook", "customerId", "reportId")
            SELECT ${ctx.shop}, ${audience.key}, unnest(${ids}::text[]::bigint[]), ${reportId}
            ON CONFLICT DO NOTHING`);
        }
      }
    }
    await db.query(sql`
      DELETE FROM "ShopReport" WHERE "shopDomain" = ${ctx.shop} AND "computedAt" < now() - make_interval(days => ${KEEP_REPORTS_DAYS})`);
    return reportId;
  });
}
