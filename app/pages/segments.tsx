// The segments overview: every RFM group and value tier with its customers, share of revenue, average
// historical LTV and average predicted CLV, each with its change since one month earlier; churn-risk
// counts; a revenue-share chart whose table alternative is the RFM groups table. Rows link to the
// segment's own page (/segments/rfm/<group>, /segments/tier/<tier>).
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, DataTable, EmptyState, Layout, Link, Text } from "@shopify/polaris";
import { PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CHURN_RISK_RECENCY_DAYS, CHURN_RISK_THRESHOLDS } from "~/ltv/churn-risk";
import type { SegmentRow, SegmentsReport } from "~/ltv/segment-summary";
import { VALUE_TIER_PERCENT } from "~/ltv/value-tiers";
import { AppPage, useAppPath, useFormat } from "~/ui/shell";
import type { segmentsLoader } from "./segments.server";

/**
 * "↑ +12", "↓ −€3.40" or "No change" — arrow, sign and words, never colour alone — after a hidden
 * lead-in for screen readers. `value` arrives rounded to what is shown, so a change too small to show
 * reads "No change" rather than "↑ +0".
 */
function Change({ value, format, since }: { value: number | null; format: (absolute: number) => string; since: string }) {
  const { t } = useTranslation("segments");
  if (value === null) return null;
  const text = value > 0 ? t("change.up", { value: format(value) }) : value < 0 ? t("change.down", { value: format(-value) }) : t("change.none");
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      <Text as="span" visuallyHidden>
        {t("change.label", { date: since })}{" "}
      </Text>
      {text}
    </Text>
  );
}

function Figure({ value, change }: { value: string; change?: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="p" numeric>
        {value}
      </Text>
      {change}
    </BlockStack>
  );
}

function SegmentName({ url, name, description }: { url: string; name: string; description: string }) {
  return (
    <Box minWidth="220px">
      <BlockStack gap="050">
        <Link url={url}>{name}</Link>
        <Text as="p" variant="bodySm" tone="subdued">
          {description}
        </Text>
      </BlockStack>
    </Box>
  );
}

/** A change of share in percentage points, to the two decimals shown. */
const percentagePoints = (ratio: number | null | undefined): number | null => (ratio === null || ratio === undefined ? null : Math.round(ratio * 10_000) / 100);

const asNumber = (amount: string | null | undefined): number | null => (amount === null || amount === undefined ? null : Number(amount));

/** Headings and the four figure cells shared by the RFM groups and value tiers tables. */
function useSegmentTable(report: SegmentsReport) {
  const { t } = useTranslation("segments");
  const format = useFormat();
  const since = format.date(report.previousAsOf);
  const headings = [
    t("columns.segment"),
    t("columns.customers"),
    t("columns.revenueShare"),
    t("columns.historicalLtv"),
    t("columns.predictedClv", { months: report.predictionHorizonMonths }),
  ];
  const figures = ({ now, change }: SegmentRow<string>): ReactNode[] => [
    <Figure key="customers" value={format.number(now.customers)} change={<Change value={change?.customers ?? null} format={format.number} since={since} />} />,
    <Figure
      key="share"
      value={format.percent(now.revenueShare)}
      change={<Change value={percentagePoints(change?.revenueShare)} format={(points) => t("change.points", { value: format.number(points, 2) })} since={since} />}
    />,
    <Figure
      key="historical"
      value={format.money(now.averageHistoricalLtv)}
      change={<Change value={asNumber(change?.averageHistoricalLtv)} format={(amount) => format.money(amount)} since={since} />}
    />,
    <Figure
      key="predicted"
      value={format.money(now.averagePredictedClv)}
      change={<Change value={asNumber(change?.averagePredictedClv)} format={(amount) => format.money(amount)} since={since} />}
    />,
  ];
  return { headings, figures, columnContentTypes: ["text", "numeric", "numeric", "numeric", "numeric"] as ("text" | "numeric")[] };
}

function CardHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Box padding="400" paddingBlockEnd="200">
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Box>
  );
}

function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <Box padding="400" paddingBlockStart="200">
      <BlockStack gap="100">
        {notes.map((note) => (
          <Text key={note} as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        ))}
      </BlockStack>
    </Box>
  );
}

function RfmGroupsCard({ report }: { report: SegmentsReport }) {
  const { t } = useTranslation("segments");
  const { t: common } = useTranslation();
  const format = useFormat();
  const appPath = useAppPath();
  const { headings, figures, columnContentTypes } = useSegmentTable(report);
  const rows = report.rfmGroups.map((row) => [
    <SegmentName key="name" url={appPath(`/segments/rfm/${row.key}`)} name={common(`segments.rfm.${row.key}`)} description={t(`rfm.groups.${row.key}`)} />,
    ...figures(row),
  ]);
  const notes: string[] = [];
  if (Number(report.guestOrders.netRevenue) !== 0 && report.guestOrders.revenueShare !== null) {
    notes.push(t("rfm.guests", { share: format.percent(report.guestOrders.revenueShare), amount: format.money(report.guestOrders.netRevenue) }));
  }
  if (report.comparison === "compared") notes.push(t("rfm.prospectsNotCompared"));
  return (
    <Card padding="0">
      <CardHeader title={t("rfm.title")}>
        <Text as="p">{t("rfm.description")}</Text>
      </CardHeader>
      <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} truncate={false} />
      <Notes notes={notes} />
    </Card>
  );
}

function ValueTiersCard({ report }: { report: SegmentsReport }) {
  const { t } = useTranslation("segments");
  const { t: common } = useTranslation();
  const format = useFormat();
  const appPath = useAppPath();
  const { headings, figures, columnContentTypes } = useSegmentTable(report);
  const percent = (tier: keyof typeof VALUE_TIER_PERCENT) => format.percent(VALUE_TIER_PERCENT[tier] / 100, 0);
  const descriptions = {
    top1: t("tiers.top1", { percent: percent("top1") }),
    top5: t("tiers.within", { percent: percent("top5"), above: percent("top1") }),
    top20: t("tiers.within", { percent: percent("top20"), above: percent("top5") }),
    rest: t("tiers.rest", { above: percent("top20") }),
  };
  const rows = report.valueTiers.map((row) => [
    <SegmentName key="name" url={appPath(`/segments/tier/${row.key}`)} name={common(`segments.tier.${row.key}`)} description={descriptions[row.key]} />,
    ...figures(row),
  ]);
  const notes: string[] = [];
  if (report.comparison === "compared" && report.previousValueTierBasis !== report.valueTierBasis) {
    notes.push(t(report.previousValueTierBasis === "historical" ? "tiers.notComparedThenHistorical" : "tiers.notComparedThenPredicted", { date: format.date(report.previousAsOf) }));
  }
  return (
    <Card padding="0">
      <CardHeader title={t("tiers.title")}>
        <Text as="p">{report.valueTierBasis === "predicted" ? t("tiers.byPredicted", { months: report.predictionHorizonMonths }) : t("tiers.byHistorical")}</Text>
      </CardHeader>
      <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} truncate={false} />
      <Notes notes={notes} />
    </Card>
  );
}

function ChurnRiskCard({ report }: { report: SegmentsReport }) {
  const { t } = useTranslation("segments");
  const { t: common } = useTranslation();
  const format = useFormat();
  const since = format.date(report.previousAsOf);
  const byModel = report.churnRiskBasis === "probabilityAlive";
  const descriptions = byModel
    ? {
        low: t("churn.alive.low", { threshold: format.percent(CHURN_RISK_THRESHOLDS.lowAtLeast, 0) }),
        medium: t("churn.alive.medium", { from: format.percent(CHURN_RISK_THRESHOLDS.highBelow, 0), to: format.percent(CHURN_RISK_THRESHOLDS.lowAtLeast, 0) }),
        high: t("churn.alive.high", { threshold: format.percent(CHURN_RISK_THRESHOLDS.highBelow, 0) }),
      }
    : {
        low: t("churn.recency.low", { days: format.number(CHURN_RISK_RECENCY_DAYS.lowWithin) }),
        medium: t("churn.recency.medium", { from: format.number(CHURN_RISK_RECENCY_DAYS.lowWithin + 1), to: format.number(CHURN_RISK_RECENCY_DAYS.highAfter) }),
        high: t("churn.recency.high", { days: format.number(CHURN_RISK_RECENCY_DAYS.highAfter) }),
      };
  const rows = report.churnRisk.map((row) => [
    <BlockStack key="name" gap="050">
      <Text as="span" fontWeight="semibold">
        {common(`segments.churn.${row.key}`)}
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {descriptions[row.key]}
      </Text>
    </BlockStack>,
    <Figure key="customers" value={format.number(row.customers)} change={<Change value={row.change} format={format.number} since={since} />} />,
    <Figure key="share" value={format.percent(report.customersWithOrders > 0 ? row.customers / report.customersWithOrders : null)} />,
  ]);
  const notes = [byModel ? t("churn.singleOrderNote") : t("churn.recencyNote")];
  if (report.comparison === "compared" && report.previousChurnRiskBasis !== report.churnRiskBasis) {
    notes.push(t(report.previousChurnRiskBasis === "recency" ? "churn.notComparedThenRecency" : "churn.notComparedThenModel", { date: since }));
  }
  return (
    <Card padding="0">
      <CardHeader title={t("churn.title")}>
        <Text as="p">{byModel ? t("churn.byModel") : t("churn.byRecency")}</Text>
      </CardHeader>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={[t("churn.level"), t("columns.customers"), t("churn.shareOfCustomers")]}
        rows={rows}
        truncate={false}
      />
      <Notes notes={notes} />
    </Card>
  );
}

/** Polaris Viz measures the browser (navigator, ResizeObserver) and cannot render on the server. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function RevenueShareCard({ report }: { report: SegmentsReport }) {
  const { t } = useTranslation("segments");
  const hydrated = useHydrated();
  const { t: common } = useTranslation();
  const format = useFormat();
  const bars = report.rfmGroups
    .filter((row) => row.key !== "prospects")
    .map((row) => ({ key: common(`segments.rfm.${row.key}`), value: row.now.revenueShare === null ? null : row.now.revenueShare * 100 }));
  if (Number(report.guestOrders.netRevenue) !== 0 && report.guestOrders.revenueShare !== null) {
    bars.push({ key: t("chart.guests"), value: report.guestOrders.revenueShare * 100 });
  }
  if (bars.every((bar) => bar.value === null)) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("chart.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("chart.description")}
        </Text>
        {/* The RFM groups table is this chart's accessible alternative (same figures); Polaris Viz's
            horizontal bars are also marked up as lists without list items, which screen readers and
            axe reject. So assistive technology reads the table, and the chart is for the eye. */}
        <div style={{ height: `${bars.length * 44 + 40}px` }} aria-hidden="true">
          {hydrated && (
            <PolarisVizProvider>
              <SimpleBarChart
                data={[{ name: t("columns.revenueShare"), data: bars }]}
                xAxisOptions={{ labelFormatter: (value) => format.percent(value === null ? null : Number(value) / 100) }}
                showLegend={false}
                isAnimated={false}
              />
            </PolarisVizProvider>
          )}
        </div>
      </BlockStack>
    </Card>
  );
}

function Banners({ report }: { report: SegmentsReport }) {
  const { t } = useTranslation("segments");
  const format = useFormat();
  return (
    <>
      {report.comparison === "no_earlier_orders" && (
        <Banner tone="info" title={t("noComparison.title")}>
          <p>{t("noComparison.body", { date: format.date(report.previousAsOf) })}</p>
        </Banner>
      )}
      {!report.predictions && (
        <Banner tone="info" title={t("noPredictions.title")}>
          <p>{t("noPredictions.body")}</p>
        </Banner>
      )}
      {report.unscoredCustomers > 0 && (
        <Banner tone="info">
          <p>{t("unscored", { customers: format.number(report.unscoredCustomers) })}</p>
        </Banner>
      )}
    </>
  );
}

function NoReport({ orders, customers }: { orders: number; customers: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card>
      {orders === 0 ? (
        <EmptyState heading={t("empty.noOrdersTitle")} image="">
          <p>{t("empty.noOrdersBody")}</p>
        </EmptyState>
      ) : (
        <EmptyState heading={t("empty.noReportTitle")} image="">
          <p>{t("empty.noReportBody", { orders: format.number(orders), customers: format.number(customers) })}</p>
        </EmptyState>
      )}
    </Card>
  );
}

export default function SegmentsPage() {
  const data = useLoaderData<typeof segmentsLoader>();
  const { t } = useTranslation("segments");
  const { t: common } = useTranslation();
  const format = useFormat();
  const { report } = data;
  if (!report) {
    return (
      <AppPage title={common("nav.segments")}>
        <Layout>
          <Layout.Section>
            <NoReport orders={data.pending?.orders ?? 0} customers={data.pending?.customers ?? 0} />
          </Layout.Section>
        </Layout>
      </AppPage>
    );
  }
  const subtitle =
    report.comparison === "compared"
      ? t("asOf", { date: format.date(report.asOf), previous: format.date(report.previousAsOf) })
      : t("asOfOnly", { date: format.date(report.asOf) });
  return (
    <AppPage title={common("nav.segments")} subtitle={subtitle}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banners report={report} />
            <RfmGroupsCard report={report} />
            <RevenueShareCard report={report} />
            <ValueTiersCard report={report} />
            <ChurnRiskCard report={report} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
