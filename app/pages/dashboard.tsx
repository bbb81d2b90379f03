// The Dashboard: the shop's customer-value figures from the latest report, or what is happening
// instead (importing, scoring, no orders yet). Every figure comes from the loader; every string from
// the `dashboard` and `common` namespaces.
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { type ReactNode, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { DEFAULT_COHORT_MONTHS, evenlySpaced } from "~/ltv/dashboard/cohorts";
import type { CohortReport, DashboardReport, HistogramBin, InsufficientReason, ModelAccuracy, SegmentShare } from "~/ltv/dashboard/report";
import { BarListChart, ColumnChart } from "~/ui/charts/bar-charts";
import { ChartFrame } from "~/ui/charts/chart-frame";
import { HeatTable } from "~/ui/charts/heat-table";
import { MAX_LINE_SERIES, PatternedLineChart } from "~/ui/charts/line-chart";
import { AppPage, useAppPath, useFormat, useToast } from "~/ui/shell";
import type { ImportProgress, dashboardAction, dashboardLoader } from "./dashboard.server";

/** How often the page reloads its data while something is running. */
const POLL_IMPORT_MS = 4_000;
const POLL_FIRST_REPORT_MS = 10_000;

function usePolling(intervalMs: number | null) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && state === "idle") revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, revalidate, state]);
}

function useChartLabels() {
  const { t } = useTranslation("dashboard");
  return { showTable: t("showTable"), showChart: t("showChart") };
}

function SectionCard({ heading, intro, action, children }: { heading: string; intro?: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              {heading}
            </Text>
            {action}
          </InlineStack>
          {intro && (
            <Text as="p" tone="subdued">
              {intro}
            </Text>
          )}
        </BlockStack>
        {children}
      </BlockStack>
    </Card>
  );
}

// ─── In-progress and empty states ────────────────────────────────────────────────────────────────

function ImportCard({ progress }: { progress: ImportProgress }) {
  const { t } = useTranslation("common");
  const format = useFormat();
  const labelId = useId();
  if (progress.status === "failed") {
    return (
      <Card>
        <Text as="p" tone="critical">
          {t("import.failed", { error: progress.error ?? "—" })}
        </Text>
      </Card>
    );
  }
  if (progress.status === "preparing" || progress.status === "scoring") {
    // Before the first order arrives (Shopify preparing the file) and after the last (scoring), a
    // stage rather than a count: an empty or a full bar.
    const preparing = progress.status === "preparing";
    return (
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd" id={labelId}>
            {t(preparing ? "import.preparingTitle" : "import.scoring")}
          </Text>
          <ProgressBar progress={preparing ? 0 : 100} tone="primary" ariaLabelledBy={labelId} />
          {preparing && (
            <Text as="p" tone="subdued">
              {t("import.preparingBody")}
            </Text>
          )}
        </BlockStack>
      </Card>
    );
  }
  const percent = progress.percent ?? 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd" id={labelId}>
          {t("import.title", { percent: format.number(percent) })}
        </Text>
        <ProgressBar progress={percent} tone="primary" ariaLabelledBy={labelId} />
        <Text as="p" tone="subdued">
          {t("import.body", {
            imported: format.number(progress.storedOrders),
            expected: progress.expectedOrders === null ? "—" : format.number(progress.expectedOrders),
          })}
        </Text>
      </BlockStack>
    </Card>
  );
}

function MessageCard({ heading, body }: { heading: string; body: string }) {
  return (
    <Card>
      <Box paddingBlock="600" paddingInline="400">
        <BlockStack gap="200" inlineAlign="center">
          <Text as="h2" variant="headingLg" alignment="center">
            {heading}
          </Text>
          <Box maxWidth="560px">
            <Text as="p" tone="subdued" alignment="center">
              {body}
            </Text>
          </Box>
        </BlockStack>
      </Box>
    </Card>
  );
}

function Figure({ label, value, help, action }: { label: string; value: string; help?: ReactNode; action?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help && (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        )}
        {action}
      </BlockStack>
    </Card>
  );
}

function ScoringView({ overview }: { overview: { customers: number; countedOrders: number; netRevenue: string } }) {
  const { t } = useTranslation("dashboard");
  const { t: tc } = useTranslation("common");
  const format = useFormat();
  return (
    <BlockStack gap="400">
      <MessageCard
        heading={tc("empty.noReportTitle")}
        body={tc("empty.noReportBody", { orders: format.number(overview.countedOrders), customers: format.number(overview.customers) })}
      />
      <Text as="h2" variant="headingMd">
        {t("overview.heading")}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
        <Figure label={t("overview.customers")} value={format.number(overview.customers)} />
        <Figure label={t("overview.orders")} value={format.number(overview.countedOrders)} />
        <Figure label={t("overview.netRevenue")} value={format.money(overview.netRevenue)} />
      </InlineGrid>
    </BlockStack>
  );
}

// ─── The report ──────────────────────────────────────────────────────────────────────────────────

function useReasonText() {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  return (reason: InsufficientReason | null, repeatCustomers = 0, requiredRepeatCustomers = 0) =>
    reason === null
      ? t("reasons.notRun")
      : t(`reasons.${reason}`, { repeat: format.number(repeatCustomers), required: format.number(requiredRepeatCustomers) });
}

function KpiSection({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const appPath = useAppPath();
  const reasonText = useReasonText();
  const { kpis, model } = report;
  const noPredictionReason =
    model.status === "none" ? reasonText(null) : reasonText(model.reason ?? "fitFailed", model.repeatCustomers, model.requiredRepeatCustomers);
  const ltvCac = kpis.ltvToCac;
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">
        {t("kpis.heading")}
      </Text>
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
        <Figure label={t("kpis.customers.label")} value={format.number(kpis.customers)} help={t("kpis.customers.help")} />
        <Figure
          label={t("kpis.repeatRate.label")}
          value={format.percent(kpis.repeatPurchaseRate)}
          help={t("kpis.repeatRate.help", { repeat: format.number(kpis.repeatCustomers) })}
        />
        <Figure
          label={t("kpis.averageOrderValue.label")}
          value={format.money(kpis.averageOrderValue)}
          help={t("kpis.averageOrderValue.help", { orders: format.number(kpis.orders) })}
        />
        <Figure
          label={t("kpis.ordersPerCustomer.label")}
          value={kpis.ordersPerCustomer === null ? "—" : format.number(kpis.ordersPerCustomer, 2)}
          help={t("kpis.ordersPerCustomer.help")}
        />
        <Figure
          label={t("kpis.lifespan.label")}
          value={kpis.averageLifespanDays === null ? "—" : format.number(kpis.averageLifespanDays)}
          help={t("kpis.lifespan.help")}
        />
        <Figure label={t("kpis.historicalLtv.label")} value={format.money(kpis.averageHistoricalLtv)} help={t("kpis.historicalLtv.help")} />
        <Figure
          label={t("kpis.predictedClv.label")}
          value={format.money(kpis.averagePredictedClv)}
          help={
            kpis.averagePredictedClv === null
              ? t("kpis.predictedClv.unavailable", { reason: noPredictionReason })
              : t("kpis.predictedClv.help", { months: format.number(kpis.predictionHorizonMonths) })
          }
        />
        {ltvCac ? (
          <Figure
            label={t("kpis.ltvCac.label")}
            value={t("kpis.ltvCac.value", { ratio: format.number(ltvCac.ratio, 1) })}
            help={t(ltvCac.basis === "predicted" ? "kpis.ltvCac.helpPredicted" : "kpis.ltvCac.helpHistorical", {
              ltv: format.money(ltvCac.averageLtv),
              cac: format.money(ltvCac.acquisitionCost),
            })}
          />
        ) : (
          <Figure
            label={t("kpis.ltvCac.label")}
            value="—"
            help={t("kpis.ltvCac.notSet")}
            action={<Link url={appPath("/settings")}>{t("kpis.ltvCac.settingsLink")}</Link>}
          />
        )}
      </InlineGrid>
      {kpis.guestOrders > 0 && (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("kpis.guestOrders", { orders: format.number(kpis.guestOrders) })}
        </Text>
      )}
    </BlockStack>
  );
}

function FormulaCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const formula = report.formula;
  if (!formula) {
    return (
      <SectionCard heading={t("formula.heading")} intro={t("formula.intro")}>
        <Text as="p">{t("formula.noFit")}</Text>
      </SectionCard>
    );
  }
  const factor = (label: string, value: string) => (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
    </BlockStack>
  );
  const operator = (symbol: string) => (
    <span aria-hidden="true">
      <Text as="span" variant="headingLg" tone="subdued">
        {symbol}
      </Text>
    </span>
  );
  return (
    <SectionCard heading={t("formula.heading")} intro={t("formula.intro")}>
      {/* Each operator stays with the factor after it, so a narrow card wraps before an operator. */}
      <InlineStack gap="300" blockAlign="end" wrap>
        {factor(t("formula.averageOrderValue"), format.money(formula.averageOrderValue))}
        <InlineStack gap="300" blockAlign="end" wrap={false}>
          {operator("×")}
          {factor(t("formula.frequency"), formula.purchaseFrequencyPerYear === null ? "—" : format.number(formula.purchaseFrequencyPerYear, 2))}
        </InlineStack>
        <InlineStack gap="300" blockAlign="end" wrap={false}>
          {operator("×")}
          {factor(t("formula.lifespan"), formula.lifespanYears === null ? "—" : format.number(formula.lifespanYears, 1))}
        </InlineStack>
        <InlineStack gap="300" blockAlign="end" wrap={false}>
          {operator("=")}
          {factor(t("formula.ltv"), format.money(formula.ltv))}
        </InlineStack>
      </InlineStack>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {t("formula.frequencyHelp")}
        </Text>
        {formula.churnRate !== null && (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("formula.lifespanHelp", { churn: format.percent(formula.churnRate) })}
          </Text>
        )}
        {formula.lifespanCapped && (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("formula.lifespanCapped", { years: format.number(formula.lifespanCapYears) })}
          </Text>
        )}
      </BlockStack>
      {formula.missing.length > 0 && (
        <BlockStack gap="100">
          <Text as="p">{t("formula.missingIntro")}</Text>
          <ul style={{ margin: 0 }}>
            {formula.missing.map((factor) => (
              <li key={factor}>
                <Text as="span">{t(`formula.missing.${factor}`)}</Text>
              </li>
            ))}
          </ul>
        </BlockStack>
      )}
    </SectionCard>
  );
}

function AccuracyDetails({ accuracy }: { accuracy: Extract<ModelAccuracy, { status: "measured" }> }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <BlockStack gap="200">
      <InlineStack>
        <Button variant="plain" onClick={() => setOpen((value) => !value)} ariaExpanded={open} ariaControls={id}>
          {open ? t("accuracy.hideDetails") : t("accuracy.showDetails")}
        </Button>
      </InlineStack>
      <Collapsible id={id} open={open}>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={[t("accuracy.pastPurchases"), t("accuracy.customers"), t("accuracy.predicted"), t("accuracy.actual")]}
          rows={accuracy.byPastPurchases.map((row) => [row.pastPurchases, format.number(row.customers), format.number(row.predicted), format.number(row.actual)])}
        />
      </Collapsible>
    </BlockStack>
  );
}

const VERDICT_TONE = { close: "success", fair: "attention", far: "critical" } as const;

function AccuracyCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const reasonText = useReasonText();
  const { accuracy } = report;
  if (accuracy.status !== "measured") {
    // The test counts repeat customers before its period, fewer than the whole history has.
    const reason =
      accuracy.status !== "insufficient"
        ? reasonText(null)
        : accuracy.reason === "tooFewRepeatCustomers"
          ? t("reasons.tooFewRepeatBeforeTest", { repeat: format.number(accuracy.repeatCustomers), required: format.number(accuracy.requiredRepeatCustomers) })
          : reasonText(accuracy.reason, accuracy.repeatCustomers, accuracy.requiredRepeatCustomers);
    return (
      <SectionCard heading={t("accuracy.heading")}>
        <Text as="p">{t(accuracy.status === "insufficient" ? "accuracy.insufficient" : "accuracy.none", { reason })}</Text>
      </SectionCard>
    );
  }
  const percent = accuracy.errorPct === null ? null : format.percent(Math.abs(accuracy.errorPct) / 100, Math.abs(accuracy.errorPct) < 10 ? 1 : 0);
  const difference =
    percent === null ? t("accuracy.noPurchasesDifference") : accuracy.direction === "exact" ? t("accuracy.exact") : t(`accuracy.${accuracy.direction}`, { percent });
  return (
    <SectionCard
      heading={t("accuracy.heading")}
      action={accuracy.verdict && <Badge tone={VERDICT_TONE[accuracy.verdict]}>{t(`accuracy.verdict.${accuracy.verdict}`)}</Badge>}
    >
      <Text as="p">
        {t("accuracy.measured", {
          predicted: format.number(accuracy.predicted),
          actual: format.number(accuracy.actual),
          weeks: format.number(accuracy.holdoutDays / 7),
          from: format.date(accuracy.holdoutStart),
          to: format.date(accuracy.holdoutEnd),
          difference,
        })}
      </Text>
      <Text as="p" fontWeight="semibold">
        {t(`accuracy.verdictBody.${accuracy.verdict ?? "none"}`)}
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("accuracy.method", { customers: format.number(accuracy.customers) })}
      </Text>
      <AccuracyDetails accuracy={accuracy} />
    </SectionCard>
  );
}

type Translate = (key: string, options?: Record<string, string>) => string;

/** "€20 – €50", "Under €5", "€2,000 or more" (or the short forms for the chart's axis). */
function binLabel(bin: HistogramBin, t: Translate, money: (amount: string) => string, short = false): string {
  const suffix = short ? "Short" : "";
  if (bin.from === null) return t(`distribution.below${suffix}`, { to: money(bin.to ?? "0") });
  if (bin.to === null) return t(`distribution.above${suffix}`, { from: money(bin.from) });
  return t(`distribution.range${suffix}`, { from: money(bin.from), to: money(bin.to) });
}

function DistributionCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const labels = useChartLabels();
  const { ltvDistribution: distribution } = report;
  const compact = (amount: string) => format.money(amount, { compact: true });
  const bins = distribution.bins.map((bin) => ({ ...bin, label: binLabel(bin, t, format.money), axisLabel: binLabel(bin, t, compact, true) }));
  const intro =
    distribution.median !== null && distribution.p90 !== null
      ? t("distribution.intro", { median: format.money(distribution.median), p90: format.money(distribution.p90) })
      : undefined;
  return (
    <SectionCard heading={t("distribution.heading")} intro={intro}>
      {bins.length === 0 ? (
        <Text as="p">{t("distribution.empty")}</Text>
      ) : (
        <ChartFrame
          labels={labels}
          chart={() => (
            <ColumnChart
              name={t("distribution.customers")}
              points={bins.map((bin) => ({ label: bin.axisLabel, value: bin.customers }))}
              formatValue={(value) => format.number(value)}
            />
          )}
          table={
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={[t("distribution.value"), t("distribution.customers"), t("distribution.customerShare"), t("distribution.netRevenue")]}
              rows={bins.map((bin) => [
                bin.label,
                format.number(bin.customers),
                format.percent(distribution.customers > 0 ? bin.customers / distribution.customers : null),
                format.money(bin.netRevenue),
              ])}
            />
          }
        />
      )}
    </SectionCard>
  );
}

function monthColumns(cohorts: CohortReport): string[] {
  return Array.from({ length: cohorts.months }, (_, month) => String(month));
}

function RetentionCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const { cohorts } = report;
  const max = Math.max(0, ...cohorts.rows.flatMap((row) => row.retention.slice(1).filter((value): value is number => value !== null)));
  const cell = (value: number | null) => ({ value, text: value === null ? "" : format.percent(value, value < 0.1 ? 1 : 0) });
  return (
    <SectionCard heading={t("retention.heading")} intro={t("retention.intro")}>
      {cohorts.rows.length === 0 ? (
        <Text as="p">{t("retention.empty", { months: format.number(DEFAULT_COHORT_MONTHS) })}</Text>
      ) : (
        <HeatTable
          caption={t("retention.caption")}
          rowHeading={t("retention.rowHeading")}
          columns={monthColumns(cohorts)}
          scaleMax={max}
          rows={[
            ...cohorts.rows.map((row) => ({ heading: format.month(row.cohort), detail: `(${format.number(row.customers)})`, cells: row.retention.map(cell) })),
            { heading: t("retention.average"), cells: cohorts.average.retention.map(cell), summary: true },
          ]}
          footnote={t("retention.footnote")}
        />
      )}
    </SectionCard>
  );
}

function CumulativeLtvCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const labels = useChartLabels();
  const { cohorts } = report;
  if (cohorts.rows.length === 0) return null;
  // Lines for cohorts spread over the period, each with at least two months to draw.
  const drawable = cohorts.rows.filter((row) => row.cumulativeLtv.filter((value) => value !== null).length >= 2);
  const shown = evenlySpaced(drawable.length, MAX_LINE_SERIES).map((index) => drawable[index]!);
  const monthLabel = (month: number) => t("cumulative.month", { month: format.number(month) });
  const series = shown.map((row) => ({
    name: format.month(row.cohort),
    points: row.cumulativeLtv.map((value, month) => ({ label: monthLabel(month), value: value === null ? null : Number(value) })),
    last: [...row.cumulativeLtv].reverse().find((value) => value !== null) ?? null,
  }));
  const max = Math.max(0, ...cohorts.rows.flatMap((row) => row.cumulativeLtv.filter((value): value is string => value !== null).map(Number)));
  const moneyCell = (value: string | null) => ({ value: value === null ? null : Number(value), text: value === null ? "" : format.money(value, { compact: true }) });
  return (
    <SectionCard heading={t("cumulative.heading")} intro={t("cumulative.intro")}>
      <ChartFrame
        labels={labels}
        height={340}
        initiallyTable={series.length === 0}
        chart={() => (
          <PatternedLineChart
            series={series}
            formatValue={(value) => format.money(value, { compact: true })}
            legendTitle={t("cumulative.legend")}
            legendValue={(line) => {
              const last = series.find((candidate) => candidate.name === line.name)?.last;
              return last ? format.money(last) : null;
            }}
          />
        )}
        table={
          <HeatTable
            caption={t("cumulative.caption")}
            rowHeading={t("retention.rowHeading")}
            columns={monthColumns(cohorts)}
            scaleMax={max}
            rows={[
              ...cohorts.rows.map((row) => ({ heading: format.month(row.cohort), detail: `(${format.number(row.customers)})`, cells: row.cumulativeLtv.map(moneyCell) })),
              { heading: t("retention.average"), cells: cohorts.average.cumulativeLtv.map(moneyCell), summary: true },
            ]}
          />
        }
      />
      {drawable.length > shown.length && (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("cumulative.chartNote", { shown: format.number(shown.length), total: format.number(cohorts.rows.length) })}
        </Text>
      )}
    </SectionCard>
  );
}

function SegmentChart({ heading, note, rows, segmentName }: { heading: string; note?: string; rows: SegmentShare[]; segmentName: (key: string) => string }) {
  const { t } = useTranslation("dashboard");
  const format = useFormat();
  const labels = useChartLabels();
  // Polaris Viz draws at least about 200 px; below that it overflows the box.
  const chartHeight = Math.max(220, rows.length * 36 + 20);
  return (
    <BlockStack gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {heading}
        </Text>
        {note && (
          <Text as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        )}
      </BlockStack>
      <ChartFrame
        labels={labels}
        height={chartHeight}
        chart={() => (
          <BarListChart
            height={chartHeight}
            name={t("segments.series")}
            points={rows.map((row) => ({
              label: t("segments.barLabel", { segment: segmentName(row.key), customers: format.percent(row.customerShare, 0) }),
              value: row.revenueShare === null ? null : row.revenueShare * 100,
            }))}
            formatValue={(value) => format.percent(value / 100, 0)}
          />
        )}
        table={
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[t("segments.segment"), t("segments.customers"), t("segments.customerShare"), t("segments.netRevenue"), t("segments.revenueShare")]}
            rows={rows.map((row) => [
              segmentName(row.key),
              format.number(row.customers),
              format.percent(row.customerShare),
              format.money(row.netRevenue),
              format.percent(row.revenueShare),
            ])}
          />
        }
      />
    </BlockStack>
  );
}

function SegmentsCard({ report }: { report: DashboardReport }) {
  const { t } = useTranslation("dashboard");
  const { t: tc } = useTranslation("common");
  const appPath = useAppPath();
  const { segments } = report;
  const name = (group: "rfm" | "tier") => (key: string) => (key === "unscored" ? t("segments.unscored") : tc(`segments.${group}.${key}`));
  return (
    <SectionCard heading={t("segments.heading")} intro={t("segments.intro")} action={<Link url={appPath("/segments")}>{t("segments.link")}</Link>}>
      <BlockStack gap="600">
        <SegmentChart heading={t("segments.rfm")} rows={segments.rfm} segmentName={name("rfm")} />
        <SegmentChart
          heading={t("segments.tiers")}
          note={t(segments.valueTierBasis === "predicted" ? "segments.tiersPredicted" : "segments.tiersHistorical")}
          rows={segments.valueTiers}
          segmentName={name("tier")}
        />
      </BlockStack>
    </SectionCard>
  );
}

function ReportView({ report }: { report: DashboardReport }) {
  return (
    <Layout>
      <Layout.Section>
        <KpiSection report={report} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <FormulaCard report={report} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <AccuracyCard report={report} />
      </Layout.Section>
      <Layout.Section>
        <DistributionCard report={report} />
      </Layout.Section>
      <Layout.Section>
        <RetentionCard report={report} />
      </Layout.Section>
      <Layout.Section>
        <CumulativeLtvCard report={report} />
      </Layout.Section>
      <Layout.Section>
        <SegmentsCard report={report} />
      </Layout.Section>
    </Layout>
  );
}

export default function DashboardPage() {
  const data = useLoaderData<typeof dashboardLoader>();
  const { t } = useTranslation("dashboard");
  const { t: tc } = useTranslation("common");
  const format = useFormat();
  const importFetcher = useFetcher<typeof dashboardAction>();
  const toast = useToast();
  const status = data.importProgress?.status;
  const running = status === "preparing" || status === "importing" || status === "scoring";
  usePolling(running ? POLL_IMPORT_MS : data.state === "scoring" ? POLL_FIRST_REPORT_MS : null);
  const answer = importFetcher.data;
  useEffect(() => {
    if (!answer) return;
    toast(answer.ok ? tc("import.requested") : tc("import.alreadyRunning"), { isError: !answer.ok });
  }, [answer, toast, tc]);
  const importAction = data.canImportHistory
    ? [
        {
          content: tc("import.action"),
          disabled: running || importFetcher.state !== "idle",
          onAction: () => importFetcher.submit({ intent: "import-history" }, { method: "post" }),
        },
      ]
    : undefined;
  return (
    <AppPage
      title={tc("nav.dashboard")}
      subtitle={data.state === "report" ? t("subtitle", { date: format.date(data.report.asOf) }) : undefined}
      secondaryActions={importAction}
    >
      <BlockStack gap="500">
        {data.importProgress && <ImportCard progress={data.importProgress} />}
        {data.state === "empty" && <MessageCard heading={tc("empty.noOrdersTitle")} body={tc("empty.noOrdersBody")} />}
        {data.state === "scoring" && <ScoringView overview={data.overview} />}
        {data.state === "report" && <ReportView report={data.report} />}
      </BlockStack>
      <Box paddingBlockEnd="800" />
    </AppPage>
  );
}
