// Retention suggestions: ranked playbooks, each with who, why (the shop's own numbers), when, the
// value at stake and what to do now.
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, DataTable, EmptyState, InlineStack, Layout, Text } from "@shopify/polaris";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Formatter } from "~/i18n/format";
import { CsvDownloadButton } from "~/ui/csv-download";
import { AppPage, useAppPath, useFormat } from "~/ui/shell";
import type { StoredPlaybook, suggestionsLoader } from "./suggestions.server";

/** Amounts in the report are hundredths of the shop's currency. */
const money = (format: Formatter, hundredths: number | null) => format.money(hundredths === null ? null : hundredths / 100);

function why(playbook: StoredPlaybook, t: TFunction, format: Formatter): string {
  const percent = (ratio: number) => format.percent(ratio, 0);
  switch (playbook.kind) {
    case "welcome":
      return t("why.welcome", { newCustomers: format.number(playbook.evidence.newCustomers), days: playbook.evidence.windowDays, repeatRate: percent(playbook.evidence.repeatRate), aov: money(format, playbook.evidence.averageOrderValueMinor) });
    case "second_purchase":
      return t("why.second_purchase", { repeatRate: percent(playbook.evidence.repeatRate), median: format.number(playbook.evidence.medianGapDays), lower: format.number(playbook.evidence.lowerQuartileGapDays), upper: format.number(playbook.evidence.upperQuartileGapDays), repeatCustomers: format.number(playbook.evidence.repeatCustomers) });
    case "replenishment":
      return t("why.replenishment", { products: format.number(playbook.evidence.products) });
    case "cross_sell":
      return t("why.cross_sell", { pairs: format.number(playbook.evidence.pairs), orders: format.number(playbook.evidence.ordersAnalysed) });
    case "category_interest":
      return t("why.category_interest", { categories: format.number(playbook.evidence.categories) });
    case "review_request":
      return t("why.review_request", { from: playbook.evidence.windowFromDays, to: playbook.evidence.windowToDays });
    case "win_back":
      return playbook.evidence.averageProbabilityAlivePrevious === null
        ? t("why.win_back_now", { alive: percent(playbook.evidence.averageProbabilityAlive), median: money(format, playbook.evidence.shopMedianPredictedClvMinor) })
        : t("why.win_back", { alive: percent(playbook.evidence.averageProbabilityAlive), previous: percent(playbook.evidence.averageProbabilityAlivePrevious), median: money(format, playbook.evidence.shopMedianPredictedClvMinor) });
    case "vip":
      return t("why.vip", { share: percent(playbook.evidence.shareOfCustomers), revenueShare: percent(playbook.evidence.shareOfRevenue), revenue: money(format, playbook.evidence.revenueMinor) });
    case "save_high_value":
      return t("why.save_high_value", { high: format.number(playbook.evidence.highRisk), medium: format.number(playbook.evidence.mediumRisk), revenue: money(format, playbook.evidence.revenueMinor) });
  }
}

function when(playbook: StoredPlaybook, t: TFunction): string {
  const timing = playbook.timing;
  switch (timing.kind) {
    case "now":
      return t("when.now");
    case "days_after_first_order":
      return t("when.days_after_first_order", { count: timing.days });
    case "days_after_last_order":
      return t("when.days_after_last_order", { count: timing.days });
    case "product_due":
      return t("when.product_due", { ahead: timing.daysAhead, overdue: timing.daysOverdue });
  }
}

function valueExplanation(playbook: StoredPlaybook, t: TFunction, format: Formatter): string {
  const value = playbook.valueAtStake;
  if (value.basis === "expected_uplift") return t("value.expected_uplift", { rate: format.percent(value.assumedConversionRate, 0) });
  return t(`value.${value.basis}`);
}

/** Products, pairs or categories behind a playbook, each with its own audience. */
function Groups({ playbook }: { playbook: StoredPlaybook }) {
  const { t } = useTranslation("suggestions");
  const format = useFormat();
  const appPath = useAppPath();
  const link = (key: string, count: number) => (
    <RemixLink to={appPath(`/suggestions/${key}`)}>{t("group.customers", { count, formatted: format.number(count) })}</RemixLink>
  );
  if (playbook.kind === "replenishment") {
    return (
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "text"]}
        headings={[t("group.product"), t("group.interval"), t("group.repeatPairs"), t("group.due")]}
        rows={playbook.products.map((product) => [
          product.title,
          t("group.days", { count: product.medianIntervalDays, formatted: format.number(product.medianIntervalDays) }),
          format.number(product.repeatPairs),
          link(`replenishment-${product.productId}`, product.customerCount),
        ])}
      />
    );
  }
  if (playbook.kind === "cross_sell") {
    return (
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
        headings={[t("group.bought"), t("group.suggested"), t("group.confidence"), t("group.lift"), t("group.audience")]}
        rows={playbook.pairs.map((pair) => [
          pair.boughtTitle,
          pair.suggestedTitle,
          format.percent(pair.confidence, 0),
          `× ${format.number(pair.lift, 1)}`,
          link(`cross_sell-${pair.boughtProductId}-${pair.suggestedProductId}`, pair.customerCount),
        ])}
      />
    );
  }
  if (playbook.kind === "category_interest") {
    return (
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "text"]}
        headings={[t("group.category"), t("group.buyers"), t("group.repeatShare"), t("group.audience")]}
        rows={playbook.categories.map((category, index) => [
          category.category,
          format.number(category.buyers),
          format.percent(category.repeatShare, 0),
          link(`category_interest-${index}`, category.customerCount),
        ])}
      />
    );
  }
  return null;
}

function PlaybookCard({ playbook, rank }: { playbook: StoredPlaybook; rank: number }) {
  const { t } = useTranslation("suggestions");
  const format = useFormat();
  const appPath = useAppPath();
  const value = playbook.valueAtStake;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge>{t("rank", { rank })}</Badge>
              <Text as="h2" variant="headingMd">
                {t(`kinds.${playbook.kind}.title`)}
              </Text>
            </InlineStack>
            <Text as="p">{t(`kinds.${playbook.kind}.action`)}</Text>
          </BlockStack>
          {value.basis !== "none" && (
            <BlockStack gap="050" inlineAlign="end">
              <Text as="p" variant="headingLg">
                {money(format, value.amountMinor)}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t(`valueLabel.${value.basis}`)}
              </Text>
            </BlockStack>
          )}
        </InlineStack>
        <BlockStack gap="200">
            <div>
              <Text as="h3" variant="headingSm">
                {t("who")}
              </Text>
              <Text as="p">{t("audience", { count: playbook.audienceCount, formatted: format.number(playbook.audienceCount) })}</Text>
            </div>
            <div>
              <Text as="h3" variant="headingSm">
                {t("whyLabel")}
              </Text>
              <Text as="p">{why(playbook, t, format)}</Text>
            </div>
            <div>
              <Text as="h3" variant="headingSm">
                {t("whenLabel")}
              </Text>
              <Text as="p">{when(playbook, t)}</Text>
            </div>
            <div>
              <Text as="h3" variant="headingSm">
                {t("valueLabelTitle")}
              </Text>
              <Text as="p">{valueExplanation(playbook, t, format)}</Text>
            </div>
        </BlockStack>
        <Groups playbook={playbook} />
        <InlineStack gap="200">
          <Button url={appPath(`/suggestions/${playbook.kind}`)}>{t("seeCustomers")}</Button>
          <CsvDownloadButton url={appPath(`/suggestions/${playbook.kind}/export`)} fallbackFilename={`tenure-${playbook.kind}.csv`} />
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function SuggestionsPage() {
  const data = useLoaderData<typeof suggestionsLoader>();
  const { t } = useTranslation("suggestions");
  const { t: tc } = useTranslation();
  const format = useFormat();
  return (
    <AppPage title={tc("nav.suggestions")} subtitle={data.computedAt ? t("subtitle", { date: format.date(data.computedAt) }) : undefined}>
      <Layout>
        <Layout.Section>
          {data.playbooks === null ? (
            <Card>
              {data.overview && data.overview.orders > 0 ? (
                <EmptyState heading={tc("empty.noReportTitle")} image="">
                  <p>{tc("empty.noReportBody", { orders: format.number(data.overview.orders), customers: format.number(data.overview.customers) })}</p>
                </EmptyState>
              ) : (
                <EmptyState heading={tc("empty.noOrdersTitle")} image="">
                  <p>{tc("empty.noOrdersBody")}</p>
                </EmptyState>
              )}
            </Card>
          ) : data.playbooks.length === 0 ? (
            <Card>
              <EmptyState heading={t("none.title")} image="">
                <p>{t("none.body")}</p>
              </EmptyState>
            </Card>
          ) : (
            <BlockStack gap="400">
              <Box>
                <Text as="p" tone="subdued">
                  {t("intro")}
                </Text>
              </Box>
              {data.playbooks.map((playbook, index) => (
                <PlaybookCard key={playbook.kind} playbook={playbook} rank={index + 1} />
              ))}
            </BlockStack>
          )}
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
