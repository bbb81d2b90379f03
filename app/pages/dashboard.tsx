import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { AppPage, useFormat } from "~/ui/shell";
import type { dashboardLoader } from "./dashboard.server";

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function DashboardPage() {
  const data = useLoaderData<typeof dashboardLoader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <AppPage title={t("nav.dashboard")}>
      <Layout>
        <Layout.Section>
          {data.countedOrders === 0 ? (
            <Card>
              <EmptyState heading={t("empty.noOrdersTitle")} image="">
                <p>{t("empty.noOrdersBody")}</p>
              </EmptyState>
            </Card>
          ) : (
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              <Figure label={t("nav.customers")} value={format.number(data.customers)} />
              <Figure label="Orders" value={format.number(data.countedOrders)} />
              <Figure label="Net revenue" value={format.money(data.netRevenue)} />
            </InlineGrid>
          )}
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
