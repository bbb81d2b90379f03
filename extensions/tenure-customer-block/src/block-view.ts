// What the customer block shows for the app's answer: which lines, in which words and formats. Pure
// (the formatter comes from the admin's i18n), so every state is unit-tested without the admin.
import type { CustomerBlockResponse } from "../../../app/customer-block/response";

export type Translate = (key: string, replacements?: Record<string, string | number>) => string;

export type Formatter = {
  translate: Translate;
  /** Intl.NumberFormat in the merchant's locale. */
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
  /** Intl.NumberFormat with style currency. */
  currency: (value: number, currency: string) => string;
};

export type BlockLine = { label: string; value: string };

export type BlockView = {
  lines: BlockLine[];
  /** One sentence on why some figures are missing, or how to read them; null when nothing needs saying. */
  notice: string | null;
  appLink: { href: string; label: string };
};

/** Shown for a figure the models have not produced for this customer. */
type Missing = "notScored" | "notEnoughHistory";

function money(format: Formatter, amount: string, currency: string | null): string {
  // Display only: the server keeps the exact decimal; a float here is rounded to cents on screen.
  const value = Number(amount);
  return currency ? format.currency(value, currency) : format.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Why predictions are missing, as a short value for the lines and a sentence for the notice. */
function missingPredictions(response: CustomerBlockResponse): { value: Missing; notice: string } | null {
  const { predictions } = response;
  switch (predictions.status) {
    case "available":
      return null;
    case "prospect":
      return { value: "notEnoughHistory", notice: "notice.prospect" };
    case "pending":
      return { value: "notScored", notice: "notice.pending" };
    case "unavailable":
      return predictions.reason === "notFitted"
        ? { value: "notScored", notice: "notice.notFitted" }
        : { value: "notEnoughHistory", notice: predictions.reason === "notConverged" ? "notice.notConverged" : "notice.tooLittleHistory" };
  }
}

export function blockView(response: CustomerBlockResponse, format: Formatter): BlockView {
  const t = format.translate;
  const missing = missingPredictions(response);
  const notScoredYet = t("value.notScored");
  const predictions = response.predictions.status === "available" ? response.predictions : null;
  const months = predictions?.horizonMonths;
  const monthsText = months === undefined ? "" : format.number(months, { maximumFractionDigits: 1 });
  const unavailable = missing ? t(`value.${missing.value}`) : "";

  const lines: BlockLine[] = [
    { label: t("label.historicalLtv"), value: money(format, response.historicalLtv, response.currency) },
    predictions
      ? { label: t("label.predictedClv", { count: predictions.horizonMonths, months: monthsText }), value: money(format, predictions.predictedClv, response.currency) }
      : { label: t("label.predictedClvNoHorizon"), value: unavailable },
    {
      label: t("label.probabilityAlive"),
      value: predictions ? format.number(predictions.probabilityAlive, { style: "percent", maximumFractionDigits: 0 }) : unavailable,
    },
    { label: t("label.rfmGroup"), value: response.rfmGroup ? t(`rfm.${response.rfmGroup}`) : notScoredYet },
    // Scored customers without a tier are prospects: no order to rank.
    { label: t("label.valueTier"), value: response.valueTier ? t(`tier.${response.valueTier}`) : response.scored ? t("value.noOrders") : notScoredYet },
    { label: t("label.expectedNextOrder"), value: expectedNextOrder(response, format) ?? unavailable },
  ];

  let notice: string | null = missing ? t(missing.notice) : null;
  if (!notice && !response.scored) notice = t("notice.notScored");
  // BG/NBD cannot tell yet whether a one-purchase-day customer is still active: say so next to 100 %.
  if (!notice && predictions?.singlePurchaseDay) notice = t("notice.singlePurchaseDay");

  return {
    lines,
    notice,
    // `app:` opens a path of the app inside the admin.
    appLink: { href: `app:${response.customer.appPath.replace(/^\//, "")}`, label: t("link.customerPage") },
  };
}

function expectedNextOrder(response: CustomerBlockResponse, format: Formatter): string | null {
  const next = response.expectedNextOrder;
  if (!next) return null;
  // One decimal: "1.3 orders" is what the models can say; more digits would be false precision.
  const orders = format.number(Math.round(next.expectedOrders * 10) / 10, { maximumFractionDigits: 1 });
  const months = format.number(next.withinMonths, { maximumFractionDigits: 1 });
  if (next.expectedOrderValue === null) return format.translate("nextOrder.orders", { count: next.withinMonths, orders, months });
  return format.translate("nextOrder.ordersWorth", { count: next.withinMonths, orders, months, value: money(format, next.expectedOrderValue, response.currency) });
}
