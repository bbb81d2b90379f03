// A playbook's customers: what to do, and who — the same table, search, sort and CSV as every list.
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Layout, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ShopifyActionsCard } from "~/components/shopify-actions-card";
import { CustomerTable } from "~/customers/customer-table";
import { NotFoundBoundary } from "~/customers/not-found";
import { PredictionsBanner } from "~/customers/predictions-banner";
import { AppPage, useAppPath, useFormat } from "~/ui/shell";
import type { suggestionDetailLoader } from "./suggestion-detail.server";

export default function SuggestionDetailPage() {
  const { focus, page, model, query, shopify } = useLoaderData<typeof suggestionDetailLoader>();
  const { t } = useTranslation("suggestions");
  const { t: tc } = useTranslation();
  const format = useFormat();
  const appPath = useAppPath();
  const playbookTitle = t(`kinds.${focus.playbook.kind}.title`);
  const title = focus.group ? t("detail.groupTitle", { playbook: playbookTitle, group: focus.group }) : t("detail.title", { playbook: playbookTitle });
  const path = `/suggestions/${focus.key}`;
  return (
    <AppPage title={title} backAction={{ content: tc("nav.suggestions"), url: appPath("/suggestions") }} fullWidth>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PredictionsBanner model={model} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("audience", { count: focus.count, formatted: format.number(focus.count) })}
                </Text>
                <Text as="p">{t(`kinds.${focus.playbook.kind}.action`)}</Text>
              </BlockStack>
            </Card>
            <ShopifyActionsCard data={shopify} namespace="suggestions" />
            <CustomerTable
              title={tc("nav.customers")}
              page={page}
              query={query}
              path={path}
              exportPath={`${path}/export`}
              emptyState={
                <EmptyState heading={t("none.title")} image="">
                  <p>{t("none.body")}</p>
                </EmptyState>
              }
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

export function SuggestionErrorBoundary() {
  const { t } = useTranslation("suggestions");
  const { t: tc } = useTranslation();
  return <NotFoundBoundary backPath="/suggestions" backLabel={tc("nav.suggestions")} body={t("detail.notFound")} />;
}
