import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { localeFromRequest } from "~/i18n/locales";

export const loader = ({ request }: LoaderFunctionArgs) => ({
  locale: localeFromRequest(request),
  // The admin's font comes from Shopify's CDN; the demo runs offline and uses the system font stack.
  shopifyFonts: !new URL(request.url).pathname.startsWith("/demo"),
});

export const meta: MetaFunction = () => [{ title: "Tenure — customer lifetime value" }];

export default function App() {
  const { locale, shopifyFonts } = useLoaderData<typeof loader>();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {shopifyFonts && (
          <>
            <link rel="preconnect" href="https://cdn.shopify.com/" />
            <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
          </>
        )}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
