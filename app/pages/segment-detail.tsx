// A segment's page: what the segment is, its figures from the last scoring, and its customers.
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ShopifyActionsCard } from "~/components/shopify-actions-card";
import { CustomerTable } from "~/customers/customer-table";
import { NotFoundBoundary } from "~/customers/not-found";
import { PredictionsBanner } from "~/customers/predictions-banner";
import { AppPage, useAppPath, useFormat } from "~/ui/shell";
import type { segmentDetailLoader } from "./segment-detail.server";

function Figure({ label, value, note }: { label: string; value: string; note?: string | null }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      {note && (
        <Text as="p" variant="bodySm" tone="subdued">
          {note}
        </Text>
      )}
    </BlockStack>
  );
}

const signed = (text: string, negative: boolean, zero: boolean) => (negative || zero ? text : `+${text}`);

export default function SegmentDetailPage() {
  const { segment, page, model, figures, count, sorts, query, shopify } = useLoaderData<typeof segmentDetailLoader>();
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  const format = useFormat();
  const appPath = useAppPath();
  const name = t(`segments.${segment.kind}.${segment.key}`);
  const path = `/segments/${segment.kind}/${segment.key}`;
  const since = (text: string | null) => (text && figures ? tc("segment.changeSince", { change: text, date: format.date(figures.previousAsOf) }) : null);
  const change = figures?.change;
  return (
    <AppPage title={name} subtitle={tc(`segment.description.${segment.key}`)} backAction={{ content: tc("segment.back"), url: appPath("/segments") }} fullWidth>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PredictionsBanner model={model} />
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {tc("segment.figuresTitle")}
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
                  <Figure
                    label={tc("segment.customers")}
                    value={format.number(count)}
                    note={change ? since(signed(format.number(change.customers), change.customers < 0, change.customers === 0)) : null}
                  />
                  {figures && (
                    <>
                      <Figure
                        label={tc("segment.revenueShare")}
                        value={format.percent(figures.revenueShare)}
                        note={change && change.revenueShare !== null ? since(signed(format.percent(change.revenueShare), change.revenueShare < 0, change.revenueShare === 0)) : null}
                      />
                      <Figure
                        label={tc("segment.averageHistoricalLtv")}
                        value={format.money(figures.averageHistoricalLtv)}
                        note={change?.averageHistoricalLtv ? since(signed(format.money(change.averageHistoricalLtv), change.averageHistoricalLtv.startsWith("-"), Number(change.averageHistoricalLtv) === 0)) : null}
                      />
                      <Figure
                        label={tc("segment.averagePredictedClv", { months: figures.predictionHorizonMonths })}
                        value={format.money(figures.averagePredictedClv)}
                        note={change?.averagePredictedClv ? since(signed(format.money(change.averagePredictedClv), change.averagePredictedClv.startsWith("-"), Number(change.averagePredictedClv) === 0)) : null}
                      />
                    </>
                  )}
                </InlineGrid>
                <Text as="p" tone="subdued">
                  {figures ? tc("segment.asOf", { date: format.date(figures.asOf) }) : tc("segment.countOnly")}
                </Text>
              </BlockStack>
            </Card>
            <ShopifyActionsCard data={shopify} namespace="segments" />
            <CustomerTable
              title={tc("segment.customersTitle")}
              sorts={sorts}
              page={page}
              query={query}
              path={path}
              exportPath={`${path}/export`}
              emptyState={
                <EmptyState heading={tc("segment.emptyTitle")} image="">
                  <p>{tc("segment.emptyBody")}</p>
                </EmptyState>
              }
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

/** An unknown segment: a 404 inside the app's frame, with the way back to every segment. */
export function SegmentErrorBoundary() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  return <NotFoundBoundary backPath="/segments" backLabel={t("nav.segments")} body={tc("segment.notFoundBody")} />;
}
