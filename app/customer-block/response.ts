// What GET /api/customer-block/:customerId answers: the contract between the app and the admin's
// customer block (extensions/tenure-customer-block imports these types). No imports, so the
// extension's own TypeScript project can read this file. Money is a decimal string in the shop's
// currency ("1234.50"): the block formats it, never adds it.

export type PredictionsUnavailableReason = "notFitted" | "noOrders" | "tooFewRepeatCustomers" | "notConverged";

export type CustomerBlockPredictions =
  | {
      status: "available";
      /** The shop's prediction horizon (Settings). */
      horizonMonths: number;
      /** Discounted CLV over the horizon (as margin when a margin is set). */
      predictedClv: string;
      /** 0–1. */
      probabilityAlive: number;
      /** All counted orders on one day: BG/NBD keeps P(alive) at 1 until a purchase on another day. */
      singlePurchaseDay: boolean;
    }
  /** No counted order yet: nothing to predict. */
  | { status: "prospect" }
  /** The shop's models are fitted, but this customer has not been scored since their figures changed. */
  | { status: "pending"; fittedAt: string }
  /** The shop's models are missing or have too little data. */
  | { status: "unavailable"; reason: PredictionsUnavailableReason };

export type CustomerBlockResponse = {
  customer: {
    /** Shopify's numeric customer id. */
    id: string;
    gid: string;
    /** The customer's page inside the app, relative to the app's root. */
    appPath: string;
  };
  /** The shop's currency code (ISO 4217); null until Tenure has seen the shop's currency. */
  currency: string | null;
  /** Net revenue: counted orders minus refunds. */
  historicalLtv: string;
  ordersCount: number;
  lastOrderAt: string | null;
  /** Whether Tenure's scoring has run for this customer (RFM group and value tier set). */
  scored: boolean;
  rfmGroup: string | null;
  valueTier: string | null;
  predictions: CustomerBlockPredictions;
  /** From the models: how many orders to expect within the horizon and what one is worth. Null without predictions. */
  expectedNextOrder: { expectedOrders: number; withinMonths: number; expectedOrderValue: string | null } | null;
};

export type CustomerBlockErrorBody = { error: "invalid_customer_id" | "customer_not_found" | "unauthorized"; message: string };
