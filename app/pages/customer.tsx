// The customer page: who the customer is (when Shopify shared it), their order figures, their
// lifetime value now and predicted, the predictions in plain words, and the order timeline.
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DescriptionList, EmptyState, IndexTable, InlineStack, Layout, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useCustomerLabel } from "~/customers/customer-table";
import type { Explanation } from "~/customers/explanation";
import { NotFoundBoundary } from "~/customers/not-found";
import { usePredictionsUnavailableText } from "~/customers/predictions-banner";
import type { Formatter } from "~/i18n/format";
import { AppPage, useAppPath, useFormat } from "~/ui/shell";
import type { customerLoader } from "./customer.server";

type Detail = ReturnType<typeof useLoaderData<typeof customerLoader>>["customer"];

const FINANCIAL_STATUSES = new Set(["pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided", "expired"]);

/** "one" or "other": the wording a count takes (the four languages agree for these numbers). */
const plural = (count: number) => (count === 1 ? "one" : "other");

function count(t: TFunction<"customers">, key: "ordersCount" | "moreOrders" | "days" | "months" | "years", value: number, text: string) {
  return t(`customer.explain.${key}.${plural(value)}`, { n: text });
}

function ExplanationText({ explanation }: { explanation: Explanation }) {
  const { t } = useTranslation("customers");
  const format = useFormat();
  const unavailable = usePredictionsUnavailableText();
  switch (explanation.kind) {
    case "prospect":
      return <p>{t("customer.explain.prospect")}</p>;
    case "unavailable":
      return (
        <BlockStack gap="200">
          <p>{t("customer.explain.unavailable")}</p>
          <p>{unavailable(explanation.status)}</p>
        </BlockStack>
      );
    case "pending":
      return <p>{t("customer.explain.pending", { date: format.date(explanation.fittedAt) })}</p>;
    case "singlePurchase":
    case "repeat": {
      const purchases = Math.round(explanation.expectedPurchases * 10) / 10;
      const common = {
        orders: count(t, "ordersCount", explanation.orders, format.number(explanation.orders)),
        days: count(t, "days", explanation.daysSinceLastOrder, format.number(explanation.daysSinceLastOrder)),
        purchases: count(t, "moreOrders", purchases, format.number(purchases, 1)),
        months: count(t, "months", explanation.horizonMonths, format.number(explanation.horizonMonths)),
        value: format.money(explanation.predictedClv),
        chance: format.percent(explanation.probabilityAlive, 0),
      };
      if (explanation.kind === "repeat") {
        const { unit, value } = explanation.span;
        const span = count(t, unit, value, format.number(value, 1));
        return <p>{t("customer.explain.repeat", { ...common, span })}</p>;
      }
      return <p>{t(explanation.orders === 1 ? "customer.explain.singleOrder" : "customer.explain.singleDay", common)}</p>;
    }
  }
}

function figureItems(detail: Detail, t: TFunction<"customers">, format: Formatter) {
  const { figures } = detail;
  const days = (value: number | null) => (value === null ? format.number(Number.NaN) : t(value === 1 ? "customer.figures.day" : "customer.figures.days", { n: format.number(value) }));
  return [
    { term: t("customer.figures.orders"), description: format.number(figures.ordersCount) },
    { term: t("customer.figures.grossSales"), description: format.money(figures.grossSales) },
    { term: t("customer.figures.refunds"), description: format.money(figures.refunds) },
    { term: t("customer.figures.netRevenue"), description: format.money(figures.netRevenue) },
    { term: t("customer.figures.averageOrderValue"), description: format.money(figures.averageOrderValue) },
    { term: t("customer.figures.firstOrder"), description: format.date(figures.firstOrderAt) },
    { term: t("customer.figures.lastOrder"), description: format.date(figures.lastOrderAt) },
    { term: t("customer.figures.tenure"), description: days(figures.tenureDays === null ? null : Math.round(figures.tenureDays)) },
    { term: t("customer.figures.daysSinceLastOrder"), description: days(figures.daysSinceLastOrder) },
  ];
}

function LtvBreakdown({ detail }: { detail: Detail }) {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  const format = useFormat();
  const { model } = detail;
  // Predictions only from the shop's current models: none are shown while those are insufficient.
  const scores =
    model.state === "ready"
      ? detail.scores
      : { ...detail.scores, predictedClv: null, expectedPurchases: null, expectedOrderValue: null, probabilityAlive: null };
  const months = model.state === "ready" ? model.horizonMonths : null;
  const missing = scores.rfmGroup ? tc("customer.ltv.notAvailable") : tc("customer.ltv.notScored");
  const or = (value: string | null | undefined, text: string) => (value === null || value === undefined ? missing : text);
  const items = [
    { term: tc("customer.ltv.historical"), description: format.money(detail.figures.netRevenue) },
    { term: months ? tc("customer.ltv.predicted", { months }) : tc("customer.ltv.predictedNoHorizon"), description: or(scores.predictedClv, format.money(scores.predictedClv)) },
    {
      term: months ? tc("customer.ltv.expectedPurchases", { months }) : tc("customer.ltv.expectedPurchasesNoHorizon"),
      description: scores.expectedPurchases === null ? missing : format.number(scores.expectedPurchases, 2),
    },
    { term: tc("customer.ltv.expectedOrderValue"), description: or(scores.expectedOrderValue, format.money(scores.expectedOrderValue)) },
    { term: tc("customer.ltv.probabilityAlive"), description: scores.probabilityAlive === null ? missing : format.percent(scores.probabilityAlive, 0) },
    { term: tc("customer.ltv.churnRisk"), description: or(scores.churnRisk, t(`segments.churn.${scores.churnRisk}`)) },
    { term: tc("customer.ltv.rfmGroup"), description: or(scores.rfmGroup, t(`segments.rfm.${scores.rfmGroup}`)) },
    {
      term: tc("customer.ltv.rfmScores"),
      description:
        scores.rfmRecency && scores.rfmFrequency && scores.rfmMonetary
          ? tc("customer.ltv.rfmScoresValue", { recency: scores.rfmRecency, frequency: scores.rfmFrequency, monetary: scores.rfmMonetary })
          : missing,
    },
    { term: tc("customer.ltv.valueTier"), description: or(scores.valueTier, t(`segments.tier.${scores.valueTier}`)) },
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {tc("customer.ltv.title")}
        </Text>
        <DescriptionList items={items} gap="tight" />
      </BlockStack>
    </Card>
  );
}

function OrderTimeline({ detail }: { detail: Detail }) {
  const { t } = useTranslation("customers");
  const format = useFormat();
  const { orders } = detail;
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <Box paddingInline="400" paddingBlockStart="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {t("customer.orders.title")}
            </Text>
            {detail.storedOrders > orders.length && (
              <Text as="p" tone="subdued">
                {t("customer.orders.showingLatest", { shown: format.number(orders.length), total: format.number(detail.storedOrders) })}
              </Text>
            )}
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={{ singular: t("customer.orders.resourceSingular"), plural: t("customer.orders.resourcePlural") }}
          itemCount={orders.length}
          selectable={false}
          headings={[
            { title: t("customer.orders.columns.date") },
            { title: t("customer.orders.columns.order") },
            { title: t("customer.orders.columns.total"), alignment: "end" },
            { title: t("customer.orders.columns.refunded"), alignment: "end" },
            { title: t("customer.orders.columns.status") },
            { title: t("customer.orders.columns.items") },
          ]}
          emptyState={
            <EmptyState heading={t("customer.orders.none")} image="">
              <p>{t("customer.figures.none")}</p>
            </EmptyState>
          }
        >
          {orders.map((order, index) => (
            <IndexTable.Row id={order.id} key={order.id} position={index}>
              <IndexTable.Cell>{format.date(order.processedAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {order.name ?? t("customer.orders.unnamed", { id: order.id })}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {format.money(order.totalPrice)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="050" inlineAlign="end">
                  <Text as="span" numeric>
                    {Number(order.refunded) === 0 ? format.money(order.refunded) : `−${format.money(order.refunded)}`}
                  </Text>
                  {order.refunds.map((refund) => (
                    <Text as="span" key={refund.id} variant="bodySm" tone="subdued">
                      {t("customer.orders.refundOn", { amount: format.money(refund.amount), date: format.date(refund.processedAt) })}
                    </Text>
                  ))}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  <InlineStack gap="100" wrap>
                    <Badge>{t(`customer.financialStatus.${order.financialStatus && FINANCIAL_STATUSES.has(order.financialStatus) ? order.financialStatus : "unknown"}`)}</Badge>
                    {order.cancelled && <Badge tone="critical">{t("customer.orders.cancelled")}</Badge>}
                    {order.test && <Badge tone="warning">{t("customer.orders.test")}</Badge>}
                    {order.deleted && <Badge tone="critical">{t("customer.orders.deleted")}</Badge>}
                  </InlineStack>
                  {!order.counted && (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("customer.orders.notCounted")}
                    </Text>
                  )}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="050">
                  {order.lineItems.length === 0 && (
                    <Text as="span" tone="subdued">
                      {t("customer.orders.noItems")}
                    </Text>
                  )}
                  {order.lineItems.map((item, itemIndex) => (
                    <Text as="span" key={itemIndex}>
                      {t("customer.orders.item", { quantity: format.number(item.quantity), title: item.title })}
                    </Text>
                  ))}
                  {order.lineItemCount > order.lineItems.length && (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("customer.orders.moreItems", { n: format.number(order.lineItemCount - order.lineItems.length) })}
                    </Text>
                  )}
                </BlockStack>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </BlockStack>
    </Card>
  );
}

export default function CustomerPage() {
  const { customer } = useLoaderData<typeof customerLoader>();
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  const format = useFormat();
  const appPath = useAppPath();
  const label = useCustomerLabel();
  const hasName = Boolean(customer.firstName || customer.lastName);
  return (
    <AppPage
      title={label(customer)}
      subtitle={[hasName ? customer.email : null, tc("customer.customerId", { id: customer.id })].filter(Boolean).join(" · ")}
      backAction={{ content: t("nav.customers"), url: appPath("/customers") }}
    >
      <Layout>
        {(customer.redacted || customer.deleted) && (
          <Layout.Section>
            <Banner tone="warning" title={tc(customer.redacted ? "customer.redactedTitle" : "customer.deletedTitle")}>
              <p>{tc(customer.redacted ? "customer.redactedBody" : "customer.deletedBody")}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {tc("customer.explain.title")}
              </Text>
              <ExplanationText explanation={customer.explanation} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <LtvBreakdown detail={customer} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {tc("customer.figures.title")}
              </Text>
              <DescriptionList items={figureItems(customer, tc, format)} gap="tight" />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <OrderTimeline detail={customer} />
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

/** A customer the shop does not have: a 404 inside the app's frame, with the way back. */
export function CustomerErrorBoundary() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  return <NotFoundBoundary backPath="/customers" backLabel={t("nav.customers")} body={tc("customer.notFoundBody")} />;
}
