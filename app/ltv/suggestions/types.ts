// The retention suggestions' input and output. Pure data: the worker builds the input from
// PostgreSQL at refit time, the merchant UI renders the output in its own languages (so evidence is
// numbers under stable names, never sentences).
//
// Input shape. Customers are rows (one object each, as read from "Customer"); orders and their
// lines are columns referring to each other by position, because a large shop has 5,000,000 orders
// and several lines each: nested objects with a title string per line would take gigabytes, columns
// of numbers (plain arrays or typed arrays) a few hundred megabytes. Titles and categories are
// product facts, so they sit once per product in `products`, and lines point at them. Building it
// from SQL: read customers ordered by id and remember each one's position; read counted orders with
// their lines ordered by (customer, order, line); append an order whenever the order id changes and
// a line per row.
import type { ChurnRisk } from "../churn-risk";
import type { RfmGroup } from "../rfm";
import type { ValueTier } from "../value-tiers";

export type SuggestionCustomer = {
  id: string;
  /** Historical LTV in minor units (whole number). */
  netRevenueMinor: number;
  /** From the shop's latest fit; all null when the shop has no predictions. */
  probabilityAlive: number | null;
  /** The same fitted model evaluated 30 days before `asOfDay`; null when not computed. */
  probabilityAlivePrevious: number | null;
  /** Predicted CLV in minor units; a model value, so a float is fine. */
  predictedClvMinor: number | null;
  rfmGroup: RfmGroup | null;
  valueTier: ValueTier | null;
  churnRisk: ChurnRisk | null;
};

/** Counted orders of customers (guest orders excluded), one entry per order in every column. */
export type SuggestionOrders = {
  /** Position of the order's customer in `customers`. */
  customerIndex: ArrayLike<number>;
  /** UTC day number of the order (processed_at). */
  day: ArrayLike<number>;
  /** Net of refunds, minor units (whole number). */
  netAmountMinor: ArrayLike<number>;
};

/** Order lines, one entry per line in every column. */
export type SuggestionLines = {
  /** Position of the line's order in `orders`. */
  orderIndex: ArrayLike<number>;
  /** Position of the product in `products`, or −1 for a line without one (custom item, deleted product). */
  productIndex: ArrayLike<number>;
  /** price × quantity − line discounts, minor units (whole number). */
  amountMinor: ArrayLike<number>;
};

export type SuggestionProduct = {
  id: string;
  title: string;
  /** Product type or collection the merchant groups by; null when unknown. */
  category: string | null;
};

export type SuggestionInput = {
  /** UTC day number of "today"; orders after it are ignored. */
  asOfDay: number;
  customers: readonly SuggestionCustomer[];
  orders: SuggestionOrders;
  lines: SuggestionLines;
  products: readonly SuggestionProduct[];
  options?: Partial<SuggestionOptions>;
};

export type SuggestionOptions = {
  /** welcome: first (and only) purchase 0 … welcomeWindowDays − 1 days ago. */
  welcomeWindowDays: number;
  /** second_purchase: customers with a second purchase needed to trust the median gap. */
  secondPurchaseMinRepeatCustomers: number;
  /** second_purchase: one-time buyers whose first purchase was G … G × this days ago (G = median gap). */
  secondPurchaseWindowMultiple: number;
  /** replenishment: repeat intervals (same customer, same product) a product needs. */
  replenishmentMinPairs: number;
  /** replenishment: distinct customers behind those intervals, so one habit is not a product's rhythm. */
  replenishmentMinCustomers: number;
  /** replenishment: interquartile range ÷ median interval at most this (regularity). */
  replenishmentMaxRelativeIqr: number;
  /** replenishment: due within the next this many days … */
  replenishmentDaysAhead: number;
  /** … or overdue by at most this many days. */
  replenishmentDaysOverdue: number;
  /** cross_sell: only the most frequent products (by orders) are paired. */
  crossSellMaxProducts: number;
  /** cross_sell: orders containing both products. */
  crossSellMinSupport: number;
  /** cross_sell: P(A and B) ÷ (P(A) × P(B)) at least this. */
  crossSellMinLift: number;
  /** cross_sell: orders with more distinct products of the paired ones than this are not counted (wholesale baskets). */
  crossSellMaxBasketProducts: number;
  /** category_interest: customers who bought the category repeatedly, for the category to be listed. */
  categoryMinCustomers: number;
  /** review_request: last purchase reviewFromDays … reviewToDays days ago (inclusive). */
  reviewFromDays: number;
  reviewToDays: number;
  /** win_back without a previous P(alive): P(alive) below this counts as falling. */
  winBackProbabilityAliveBelow: number;
  /** Share of an audience assumed to buy because of the playbook (expected uplift). */
  assumedConversionRate: number;
  /** Most products, pairs or categories listed in one playbook. */
  maxGroups: number;
};

export type PlaybookKind =
  | "welcome"
  | "second_purchase"
  | "replenishment"
  | "cross_sell"
  | "category_interest"
  | "review_request"
  | "win_back"
  | "vip"
  | "save_high_value";

export type PlaybookAction = "export_csv";

export type PlaybookTiming =
  /** Act now on the whole audience. */
  | { kind: "now" }
  /** In an automated flow: this many days after the customer's first purchase. */
  | { kind: "days_after_first_order"; days: number }
  /** In an automated flow: this many days after the customer's latest purchase. */
  | { kind: "days_after_last_order"; days: number }
  /** Per product: from daysAhead days before the product's usual repurchase day to daysOverdue after it. */
  | { kind: "product_due"; daysAhead: number; daysOverdue: number };

/** What a playbook is worth, in minor units, and what the amount means. */
export type ValueAtStake =
  /** Σ predicted CLV of the audience. */
  | { basis: "predicted_clv"; amountMinor: number }
  /** Σ net revenue so far of the audience: the shop has no predictions. */
  | { basis: "historical_net_revenue"; amountMinor: number }
  /** Σ predicted CLV × (1 − P(alive)) of the audience. */
  | { basis: "predicted_clv_at_risk"; amountMinor: number }
  /** Audience × assumedConversionRate × the value of one conversion (named in the evidence or groups). */
  | { basis: "expected_uplift"; amountMinor: number; assumedConversionRate: number }
  /** The playbook is worth doing but not in money we can estimate (reviews). */
  | { basis: "none"; amountMinor: 0 };

type PlaybookCommon = {
  /** Every customer of the playbook, for the CSV export; audienceCount is its length. */
  audienceCustomerIds: string[];
  audienceCount: number;
  timing: PlaybookTiming;
  valueAtStake: ValueAtStake;
  actions: PlaybookAction[];
};

/** Customers with at least one purchase, and those with purchases on two or more days. */
type RepeatEvidence = { customersWithOrders: number; repeatCustomers: number; repeatRate: number };

export type WelcomePlaybook = PlaybookCommon & {
  kind: "welcome";
  evidence: RepeatEvidence & { newCustomers: number; windowDays: number; averageOrderValueMinor: number };
};

export type SecondPurchasePlaybook = PlaybookCommon & {
  kind: "second_purchase";
  evidence: RepeatEvidence & {
    /** Days from the first to the second purchase day, over repeatCustomers. */
    medianGapDays: number;
    lowerQuartileGapDays: number;
    upperQuartileGapDays: number;
    /** The audience's first purchase was windowFromDays … windowToDays days ago. */
    windowFromDays: number;
    windowToDays: number;
    averageOrderValueMinor: number;
  };
};

export type ReplenishmentProduct = {
  productId: string;
  title: string;
  medianIntervalDays: number;
  lowerQuartileIntervalDays: number;
  upperQuartileIntervalDays: number;
  /** Consecutive purchases of the product by the same customer, on different days. */
  repeatPairs: number;
  repeatCustomers: number;
  /** Mean amount of the product per order containing it: the value of one conversion. */
  averageOrderAmountMinor: number;
  /** Customers due for the product. */
  customerIds: string[];
  customerCount: number;
};

export type ReplenishmentPlaybook = PlaybookCommon & {
  kind: "replenishment";
  evidence: { products: number; daysAhead: number; daysOverdue: number };
  products: ReplenishmentProduct[];
};

export type CrossSellPair = {
  boughtProductId: string;
  boughtTitle: string;
  suggestedProductId: string;
  suggestedTitle: string;
  /** Orders containing both products. */
  support: number;
  boughtOrders: number;
  suggestedOrders: number;
  /** support ÷ boughtOrders: P(suggested | bought) within an order. */
  confidence: number;
  /** support × ordersAnalysed ÷ (boughtOrders × suggestedOrders). */
  lift: number;
  /** Mean amount of the suggested product per order containing it: the value of one conversion. */
  averageOrderAmountMinor: number;
  /** Customers who bought the first product and never the suggested one. */
  customerIds: string[];
  customerCount: number;
};

export type CrossSellPlaybook = PlaybookCommon & {
  kind: "cross_sell";
  evidence: { pairs: number; ordersAnalysed: number; productsAnalysed: number };
  pairs: CrossSellPair[];
};

export type CategoryInterest = {
  category: string;
  /** Customers who bought in the category. */
  buyers: number;
  /** Of them, customers who bought in it on two or more days (the group's customers). */
  repeatBuyers: number;
  repeatShare: number;
  /** Mean amount spent in the category per order with it: the value of one conversion. */
  averageOrderAmountMinor: number;
  customerIds: string[];
  customerCount: number;
};

export type CategoryInterestPlaybook = PlaybookCommon & {
  kind: "category_interest";
  evidence: { categories: number };
  categories: CategoryInterest[];
};

export type ReviewRequestPlaybook = PlaybookCommon & {
  kind: "review_request";
  evidence: { customers: number; windowFromDays: number; windowToDays: number };
};

export type WinBackPlaybook = PlaybookCommon & {
  kind: "win_back";
  evidence: {
    customers: number;
    shopMedianPredictedClvMinor: number;
    predictedClvMinor: number;
    averageProbabilityAlive: number;
    /** Of the audience, customers with a P(alive) 30 days earlier, and its mean (null without any). */
    customersWithPreviousProbabilityAlive: number;
    averageProbabilityAlivePrevious: number | null;
    byRfmGroup: Partial<Record<RfmGroup, number>>;
  };
};

export type VipPlaybook = PlaybookCommon & {
  kind: "vip";
  evidence: {
    customers: number;
    customersWithOrders: number;
    shareOfCustomers: number;
    revenueMinor: number;
    shopRevenueMinor: number;
    shareOfRevenue: number;
    /** null when the shop has no predictions. */
    predictedClvMinor: number | null;
  };
};

export type SaveHighValuePlaybook = PlaybookCommon & {
  kind: "save_high_value";
  evidence: {
    customers: number;
    highRisk: number;
    mediumRisk: number;
    revenueMinor: number;
    /** null when the shop has no predictions. */
    predictedClvMinor: number | null;
  };
};

export type Playbook =
  | WelcomePlaybook
  | SecondPurchasePlaybook
  | ReplenishmentPlaybook
  | CrossSellPlaybook
  | CategoryInterestPlaybook
  | ReviewRequestPlaybook
  | WinBackPlaybook
  | VipPlaybook
  | SaveHighValuePlaybook;

export type SuggestionReport = {
  asOfDay: number;
  /** By value at stake, highest first; ties by audience, larger first. */
  playbooks: Playbook[];
};
