// The merchant's textbook LTV, with every factor reported so the UI can show the arithmetic:
//   LTV = average order value × purchase frequency per year × expected lifespan in years
// for the whole shop, each RFM group and each cohort (month of the first order, UTC).
//
// Definitions (the "year" is the 365 days ending on the observation end day, endDay − 364 … endDay):
// - averageOrderValue = Σ net revenue ÷ Σ orders, over all the group's orders.
// - purchaseFrequencyPerYear = orders in the year ÷ customers with an order in the year.
// - churnRate = of the customers whose first order is older than the year (they could have bought
//   in it), the share who did not; lifespanYears = 1 ÷ churnRate, capped at LIFESPAN_CAP_YEARS (also
//   when nobody churned). A group without such customers (a cohort younger than a year, say) takes
//   the shop's churn rate, and says so in `churnFrom`.
// - A factor that cannot be measured is null with the reason in `missing`, and so is the LTV: the
//   formula never guesses. Money is in floats here: these are statistics, not amounts to book.
import type { CustomerHistory } from "./customer-history";
import { RFM_GROUPS, type RfmGroup } from "./rfm";

/** Longest expected lifespan the formula reports: beyond it a constant churn rate means little. */
export const LIFESPAN_CAP_YEARS = 5;

export const FORMULA_YEAR_DAYS = 365;

export type FormulaLtv = {
  customers: number;
  orders: number;
  averageOrderValue: number | null;
  purchaseFrequencyPerYear: number | null;
  churnRate: number | null;
  /** Whose churn rate was used: the group's own, or the shop's when the group has none. */
  churnFrom: "group" | "shop" | null;
  lifespanYears: number | null;
  ltv: number | null;
  /** Why a factor (and so the LTV) is null. */
  missing?: string;
};

export type FormulaLtvReport = {
  shop: FormulaLtv;
  /** Groups with at least one customer. */
  byRfmGroup: Partial<Record<RfmGroup, FormulaLtv>>;
  /** By first-order month "YYYY-MM", in month order. */
  byCohort: Record<string, FormulaLtv>;
};

type GroupTotals = {
  customers: number;
  orders: number;
  revenue: number;
  ordersInYear: number;
  customersInYear: number;
  couldChurn: number;
  churned: number;
};

const emptyTotals = (): GroupTotals => ({ customers: 0, orders: 0, revenue: 0, ordersInYear: 0, customersInYear: 0, couldChurn: 0, churned: 0 });

function addCustomer(totals: GroupTotals, history: CustomerHistory, i: number): void {
  const yearStart = history.endDay - (FORMULA_YEAR_DAYS - 1);
  totals.customers++;
  totals.orders += history.ordersCount[i] as number;
  totals.revenue += history.netRevenue[i] as number;
  const boughtInYear = (history.lastDay[i] as number) >= yearStart;
  if (boughtInYear) {
    totals.customersInYear++;
    totals.ordersInYear += history.ordersInLastYear[i] as number;
  }
  if ((history.firstDay[i] as number) < yearStart) {
    totals.couldChurn++;
    if (!boughtInYear) totals.churned++;
  }
}

function ownChurnRate(totals: GroupTotals): number | null {
  return totals.couldChurn > 0 ? totals.churned / totals.couldChurn : null;
}

function formulaFromTotals(totals: GroupTotals, shopChurnRate: number | null): FormulaLtv {
  const missing: string[] = [];
  const averageOrderValue = totals.orders > 0 ? totals.revenue / totals.orders : null;
  if (averageOrderValue === null) missing.push("no orders");
  const purchaseFrequencyPerYear = totals.customersInYear > 0 ? totals.ordersInYear / totals.customersInYear : null;
  if (purchaseFrequencyPerYear === null) missing.push("no orders in the last 365 days");
  const own = ownChurnRate(totals);
  const churnRate = own ?? shopChurnRate;
  const churnFrom = own !== null ? "group" : churnRate !== null ? "shop" : null;
  if (churnRate === null) missing.push("no customer whose first order is more than 365 days old, so no churn rate");
  const lifespanYears = churnRate === null ? null : churnRate > 1 / LIFESPAN_CAP_YEARS ? 1 / churnRate : LIFESPAN_CAP_YEARS;
  const ltv =
    averageOrderValue !== null && purchaseFrequencyPerYear !== null && lifespanYears !== null
      ? averageOrderValue * purchaseFrequencyPerYear * lifespanYears
      : null;
  return {
    customers: totals.customers,
    orders: totals.orders,
    averageOrderValue,
    purchaseFrequencyPerYear,
    churnRate,
    churnFrom,
    lifespanYears,
    ltv,
    ...(missing.length > 0 ? { missing: missing.join("; ") } : {}),
  };
}

/** Formula LTV of the customers where `members[i]` is 1 (all when omitted), with the shop's churn as fallback. */
export function formulaLtv(history: CustomerHistory, members?: Uint8Array): FormulaLtv {
  const shop = emptyTotals();
  const group = emptyTotals();
  for (let i = 0; i < history.customerIds.length; i++) {
    addCustomer(shop, history, i);
    if (!members || members[i] === 1) addCustomer(group, history, i);
  }
  return formulaFromTotals(group, ownChurnRate(shop));
}

const DAY_MS = 86_400_000;

/** "YYYY-MM" of a UTC day number. */
export function cohortMonth(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 7);
}

/** The shop, each RFM group (codes as in RFM_GROUPS) and each first-order-month cohort. */
export function formulaLtvReport(history: CustomerHistory, rfmGroup: Uint8Array): FormulaLtvReport {
  const n = history.customerIds.length;
  if (rfmGroup.length !== n) throw new RangeError("formulaLtvReport: one RFM group per customer needed");
  const shop = emptyTotals();
  const byGroup = RFM_GROUPS.map(emptyTotals);
  const byCohort = new Map<string, GroupTotals>();
  const monthOfDay = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    addCustomer(shop, history, i);
    const groupTotals = byGroup[rfmGroup[i] as number];
    if (!groupTotals) throw new RangeError(`formulaLtvReport: unknown RFM group code ${rfmGroup[i]}`);
    addCustomer(groupTotals, history, i);
    const firstDay = history.firstDay[i] as number;
    let month = monthOfDay.get(firstDay);
    if (month === undefined) {
      month = cohortMonth(firstDay);
      monthOfDay.set(firstDay, month);
    }
    let cohort = byCohort.get(month);
    if (!cohort) {
      cohort = emptyTotals();
      byCohort.set(month, cohort);
    }
    addCustomer(cohort, history, i);
  }
  const shopChurnRate = ownChurnRate(shop);
  const byRfmGroup: Partial<Record<RfmGroup, FormulaLtv>> = {};
  RFM_GROUPS.forEach((group, code) => {
    const totals = byGroup[code] as GroupTotals;
    if (totals.customers > 0) byRfmGroup[group] = formulaFromTotals(totals, shopChurnRate);
  });
  const cohorts: Record<string, FormulaLtv> = {};
  for (const month of [...byCohort.keys()].sort()) cohorts[month] = formulaFromTotals(byCohort.get(month) as GroupTotals, shopChurnRate);
  return { shop: formulaFromTotals(shop, shopChurnRate), byRfmGroup, byCohort: cohorts };
}
