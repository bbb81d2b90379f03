// The customer list as the Customers, segment and suggestion pages show it: a search field (debounced,
// kept in the URL), sortable columns, Previous/Next pages and a CSV export of the same selection.
// Everything it shows comes from listCustomers (./list.server.ts) through the page's loader.
import { useNavigate, useNavigation } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  EmptySearchResult,
  IndexTable,
  type IndexTableProps,
  InlineStack,
  Link,
  Pagination,
  Text,
  TextField,
} from "@shopify/polaris";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { CsvDownloadButton } from "~/ui/csv-download";
import { useAppPath, useFormat } from "~/ui/shell";
import { CUSTOMER_SORTS, type CustomerAudience, type CustomerSort, MIN_SEARCH_LENGTH, type SortDirection, customerListParams } from "./list-query";
import type { CustomerListPage, CustomerListRow } from "./list.server";

export type CustomerTableQuery = { sort: CustomerSort; direction: SortDirection; search: string; audience: CustomerAudience | null; paged: boolean };

const SEARCH_DEBOUNCE_MS = 350;

/** The column of each sort, in table order after the customer column. */
const SORT_COLUMNS: Record<CustomerSort, number> = { historical_ltv: 1, predicted_clv: 2, orders: 3, last_order: 4, probability_alive: 5 };

const TIER_TONE: Record<string, "success" | "info" | "attention" | undefined> = { top1: "success", top5: "info", top20: "attention" };

/** The name the merchant knows the customer by: name, else email, else their number. */
export function useCustomerLabel(): (customer: Pick<CustomerListRow, "id" | "firstName" | "lastName" | "email">) => string {
  const { t } = useTranslation("customers");
  return (customer) => {
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ").trim();
    return name || customer.email || t("list.customerNumber", { id: customer.id });
  };
}

function SegmentCell({ row }: { row: CustomerListRow }) {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  if (!row.rfmGroup) {
    return (
      <Text as="span" tone="subdued">
        {tc("list.notScored")}
      </Text>
    );
  }
  return (
    <InlineStack gap="200" blockAlign="center" wrap={false}>
      <Text as="span">{t(`segments.rfm.${row.rfmGroup}`)}</Text>
      {row.valueTier && (
        <Badge tone={TIER_TONE[row.valueTier]} toneAndProgressLabelOverride={tc("customer.ltv.valueTier")}>
          {t(`segments.tier.${row.valueTier}`)}
        </Badge>
      )}
    </InlineStack>
  );
}

type CustomerTableProps = {
  page: CustomerListPage;
  query: CustomerTableQuery;
  /** The list's path inside the app ("/customers", "/segments/rfm/champions"). */
  path: string;
  /** Its CSV route inside the app. */
  exportPath: string;
  /** Shown when the selection holds nobody (and no search narrowed it). */
  emptyState: ReactNode;
  title?: string;
  /** The sorts this list offers (a segment: historical LTV only; see sortsFor). */
  sorts?: readonly CustomerSort[];
};

export function CustomerTable({ page, query, path, exportPath, emptyState, title, sorts = CUSTOMER_SORTS }: CustomerTableProps) {
  const { t } = useTranslation("customers");
  const format = useFormat();
  const appPath = useAppPath();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const label = useCustomerLabel();
  const [search, setSearch] = useState(query.search);
  const lastSubmitted = useRef(query.search);

  // The URL is the truth: back/forward or a link changes the search field too.
  useEffect(() => {
    lastSubmitted.current = query.search;
    setSearch(query.search);
  }, [query.search]);

  useEffect(() => {
    const term = search.trim();
    if (term === lastSubmitted.current.trim()) return;
    const timer = setTimeout(() => {
      lastSubmitted.current = term;
      navigate(appPath(path, customerListParams({ sort: query.sort, direction: query.direction, audience: query.audience ?? undefined, search: term })), {
        replace: true,
        preventScrollReset: true,
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, navigate, appPath, path, query.sort, query.direction, query.audience]);

  const params = (extra: { sort?: CustomerSort; direction?: SortDirection; cursor?: string | null }) =>
    customerListParams({
      sort: extra.sort ?? query.sort,
      direction: extra.direction ?? query.direction,
      search: query.search,
      audience: query.audience ?? undefined,
      cursor: extra.cursor ?? null,
    });

  const onSort: IndexTableProps["onSort"] = (index, direction) => {
    const sort = sorts.find((candidate) => SORT_COLUMNS[candidate] === index);
    if (!sort) return;
    navigate(appPath(path, params({ sort, direction: direction === "ascending" ? "asc" : "desc" })), { preventScrollReset: true });
  };

  const searching = page.search.kind === "match";
  const headings: IndexTableProps["headings"] = [
    { title: t("list.columns.customer") },
    { title: t("list.columns.historicalLtv"), alignment: "end" },
    { title: t("list.columns.predictedClv"), alignment: "end" },
    { title: t("list.columns.orders"), alignment: "end" },
    { title: t("list.columns.lastOrder") },
    { title: t("list.columns.probabilityAlive"), alignment: "end" },
    { title: t("list.columns.segment") },
  ];
  const sortLabels = { ascending: t("list.sortAscending"), descending: t("list.sortDescending") };

  return (
    <Card padding="0">
      <BlockStack>
        <Box padding="400">
          <BlockStack gap="300">
            {title && (
              <Text as="h2" variant="headingMd">
                {title}
              </Text>
            )}
            <InlineStack gap="300" align="space-between" blockAlign="end" wrap>
              <Box minWidth="280px" width="60%">
                <TextField
                  label={t("list.searchLabel")}
                  placeholder={t("list.searchPlaceholder")}
                  value={search}
                  onChange={setSearch}
                  clearButton
                  onClearButtonClick={() => setSearch("")}
                  autoComplete="off"
                  type="search"
                  helpText={page.search.kind === "tooShort" ? t("list.searchTooShort", { min: MIN_SEARCH_LENGTH }) : undefined}
                />
              </Box>
              <CsvDownloadButton url={appPath(exportPath, params({}))} label={t("list.exportLabel")} />
            </InlineStack>
          </BlockStack>
        </Box>
        <IndexTable
          resourceName={{ singular: t("list.resourceSingular"), plural: t("list.resourcePlural") }}
          itemCount={page.rows.length}
          selectable={false}
          loading={navigation.state === "loading"}
          headings={headings}
          sortable={[false, ...CUSTOMER_SORTS.map((sort) => sorts.includes(sort)), false]}
          sortColumnIndex={SORT_COLUMNS[query.sort]}
          sortDirection={query.direction === "asc" ? "ascending" : "descending"}
          defaultSortDirection="descending"
          sortToggleLabels={Object.fromEntries(sorts.map((sort) => [SORT_COLUMNS[sort], sortLabels]))}
          onSort={onSort}
          emptyState={searching ? <EmptySearchResult title={t("list.noMatchTitle", { term: page.search.kind === "match" ? page.search.term : "" })} description={t("list.noMatchBody")} withIllustration={false} /> : emptyState}
        >
          {page.rows.map((row, index) => (
            <IndexTable.Row id={row.id} key={row.id} position={index}>
              <IndexTable.Cell>
                <BlockStack gap="050">
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Link url={appPath(`/customers/${row.id}`)} removeUnderline dataPrimaryLink>
                      <Text as="span" fontWeight="semibold">
                        {label(row)}
                      </Text>
                    </Link>
                    {row.redacted && <Badge>{t("list.redacted")}</Badge>}
                  </InlineStack>
                  {(row.firstName || row.lastName) && row.email && (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {row.email}
                    </Text>
                  )}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {format.money(row.historicalLtv)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {format.money(row.predictedClv)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {format.number(row.ordersCount)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{format.date(row.lastOrderAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {format.percent(row.probabilityAlive, 0)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <SegmentCell row={row} />
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        {(page.previousCursor || page.nextCursor) && (
          <Box padding="300" borderBlockStartWidth="025" borderColor="border">
            <InlineStack align="center">
              <Pagination
                accessibilityLabel={t("list.pagination")}
                hasPrevious={Boolean(page.previousCursor)}
                previousURL={page.previousCursor ? appPath(path, params({ cursor: page.previousCursor })) : undefined}
                hasNext={Boolean(page.nextCursor)}
                nextURL={page.nextCursor ? appPath(path, params({ cursor: page.nextCursor })) : undefined}
              />
            </InlineStack>
          </Box>
        )}
      </BlockStack>
    </Card>
  );
}
