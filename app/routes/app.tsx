import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { layoutLoader } from "~/ui/layout.server";
import { AppShell } from "~/ui/shell";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export const loader = (args: LoaderFunctionArgs) => layoutLoader(args);

export default function EmbeddedApp() {
  const data = useLoaderData<typeof loader>();
  return (
    <AppShell data={data}>
      <Outlet />
    </AppShell>
  );
}

// Shopify needs Remix to catch thrown responses so its headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
