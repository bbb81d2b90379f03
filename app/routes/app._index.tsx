import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { getShopOverview } from "~/shops/overview.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const overview = await getShopOverview(session.shop);
  return {
    currency: overview.currency,
    customers: overview.customers,
    countedOrders: overview.countedOrders,
    guestOrders: overview.guestOrders,
    grossSales: overview.grossSales.toFixed(2),
    refunds: overview.refunds.toFixed(2),
    netRevenue: overview.netRevenue.toFixed(2),
    lastOrderAt: overview.lastOrderAt?.toISOString() ?? null,
  };
};

function formatMoney(amount: string, currency: string | null): string {
  const value = Number(amount); // display only; the figure itself is exact in the database
  return currency
    ? new Intl.NumberFormat("en", { style: "currency", currency }).format(value)
    : new Intl.NumberFormat("en", { minimumFractionDigits: 2 }).format(value);
}

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {help && (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const number = new Intl.NumberFormat("en");
  return (
    <Page>
      <TitleBar title="Tenure" />
      <Layout>
        <Layout.Section>
          {data.countedOrders === 0 ? (
            <Card>
              <EmptyState heading="No orders yet" image="">
                <p>
                  Tenure counts every order Shopify sends from now on. As soon as the first order arrives, your
                  customers' lifetime value appears here.
                </p>
              </EmptyState>
            </Card>
          ) : (
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              <Figure label="Customers" value={number.format(data.customers)} help="Customers with at least one counted order" />
              <Figure
                label="Counted orders"
                value={number.format(data.countedOrders)}
                help={`${number.format(data.guestOrders)} of them guest checkouts; test and cancelled orders excluded`}
              />
              <Figure
                label="Net revenue"
                value={formatMoney(data.netRevenue, data.currency)}
                help={`${formatMoney(data.grossSales, data.currency)} gross sales − ${formatMoney(data.refunds, data.currency)} refunds`}
              />
            </InlineGrid>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
