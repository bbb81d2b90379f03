import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import type { SuggestionReport } from "~/ltv/suggestions";
import { getShopOverview } from "~/shops/overview.server";
import { requireShop } from "~/shops/request-shop.server";

/** A report as stored: audiences live in SuggestionMember, not in the JSON (app/reports/suggestions.server.ts). */
type WithoutIds<T> = T extends readonly (infer Item)[]
  ? WithoutIds<Item>[]
  : T extends object
    ? { [K in keyof T as K extends "audienceCustomerIds" | "customerIds" ? never : K]: WithoutIds<T[K]> }
    : T;
export type StoredSuggestionReport = WithoutIds<SuggestionReport>;
export type StoredPlaybook = StoredSuggestionReport["playbooks"][number];

export async function latestSuggestions(shop: string): Promise<{ report: StoredSuggestionReport; computedAt: string } | null> {
  const row = await prisma.shopReport.findFirst({
    where: { shopDomain: shop },
    orderBy: { computedAt: "desc" },
    select: { suggestions: true, computedAt: true },
  });
  if (!row) return null;
  return { report: row.suggestions as unknown as StoredSuggestionReport, computedAt: row.computedAt.toISOString() };
}

export async function suggestionsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  const latest = await latestSuggestions(shop);
  if (latest) return { playbooks: latest.report.playbooks, computedAt: latest.computedAt, overview: null };
  // No report yet: say what Tenure has so far (cheap while a shop is new; large shops always have a report).
  const overview = await getShopOverview(shop);
  return { playbooks: null, computedAt: null, overview: { orders: overview.countedOrders, customers: overview.customers } };
}
