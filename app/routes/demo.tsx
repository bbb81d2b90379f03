// The demo store: the same pages as /app, for the shop `npm run demo` imports, without Shopify login.
// Exists only with TENURE_DEMO=1 outside production (app/shops/request-shop.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { layoutLoader } from "~/ui/layout.server";
import { AppShell } from "~/ui/shell";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export const loader = (args: LoaderFunctionArgs) => layoutLoader(args);

export default function DemoApp() {
  const data = useLoaderData<typeof loader>();
  return (
    <AppShell data={data}>
      <Outlet />
    </AppShell>
  );
}
