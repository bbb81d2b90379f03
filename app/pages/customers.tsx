// The Customers page: every customer of the shop, searchable, sortable, a page at a time.
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, EmptyState, Layout } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { CustomerTable } from "~/customers/customer-table";
import { PredictionsBanner } from "~/customers/predictions-banner";
import { AppPage, useAppPath } from "~/ui/shell";
import type { customersLoader } from "./customers.server";

export default function CustomersPage() {
  const { page, model, query } = useLoaderData<typeof customersLoader>();
  const { t } = useTranslation();
  const { t: tc } = useTranslation("customers");
  const appPath = useAppPath();
  return (
    <AppPage title={t("nav.customers")} fullWidth>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <PredictionsBanner model={model} />
            {query.audience && (
              <Banner tone="info" action={{ content: tc("list.showAll"), url: appPath("/customers") }}>
                <p>{tc("list.audienceBanner")}</p>
              </Banner>
            )}
            <CustomerTable
              page={page}
              query={query}
              path="/customers"
              exportPath="/customers/export"
              emptyState={
                <EmptyState heading={tc("list.emptyTitle")} image="">
                  <p>{tc("list.emptyBody")}</p>
                </EmptyState>
              }
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
