// Tenure's block on the customer details page: asks the app's backend for this customer's figures
// (the admin attaches the ID token to fetches of the app's URL) and shows them through block-view.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { CustomerBlockResponse } from "../../../app/customer-block/response";
import { type Formatter, blockView } from "./block-view";

export default async () => {
  render(<CustomerBlock />, document.body);
};

type Load = { state: "loading" } | { state: "loaded"; response: CustomerBlockResponse } | { state: "notFound" } | { state: "failed" };

function formatter(): Formatter {
  const { i18n } = shopify;
  return {
    // Replacements here are strings and numbers only, so translate returns a string.
    translate: (key, replacements) => String(i18n.translate(key, replacements)),
    number: (value, options) => i18n.formatNumber(value, options),
    currency: (value, currency) => i18n.formatCurrency(value, { currency }),
  };
}

/** A relative URL: the admin resolves it against the app's URL and adds the ID token. */
const endpoint = (customerGid: string) => `/api/customer-block/${encodeURIComponent(customerGid)}`;

function CustomerBlock() {
  const customerGid = shopify.data.selected[0]?.id;
  const [load, setLoad] = useState<Load>({ state: "loading" });

  useEffect(() => {
    if (!customerGid) {
      setLoad({ state: "failed" });
      return;
    }
    const controller = new AbortController();
    setLoad({ state: "loading" });
    (async () => {
      try {
        const response = await fetch(endpoint(customerGid), { signal: controller.signal, headers: { Accept: "application/json" } });
        // 404: Tenure has not heard of this customer yet (no order or profile webhook so far).
        if (response.status === 404) return setLoad({ state: "notFound" });
        if (!response.ok) throw new Error(`customer block: HTTP ${response.status}`);
        setLoad({ state: "loaded", response: (await response.json()) as CustomerBlockResponse });
      } catch (error) {
        if (controller.signal.aborted) return;
        console.error(error);
        setLoad({ state: "failed" });
      }
    })();
    return () => controller.abort();
  }, [customerGid]);

  const format = formatter();
  const t = format.translate;
  return <s-admin-block heading={t("heading")}>{content(load, format)}</s-admin-block>;
}

function content(load: Load, format: Formatter) {
  const t = format.translate;
  switch (load.state) {
    case "loading":
      return (
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-spinner accessibilityLabel={t("state.loading")} />
          <s-text color="subdued">{t("state.loading")}</s-text>
        </s-stack>
      );
    case "notFound":
      return <s-paragraph color="subdued">{t("state.notFound")}</s-paragraph>;
    case "failed":
      return <s-banner tone="critical">{t("state.error")}</s-banner>;
    case "loaded": {
      const view = blockView(load.response, format);
      return (
        <s-stack gap="base">
          <s-stack gap="small-200">
            {view.lines.map((line) => (
              <s-stack key={line.label} direction="inline" justifyContent="space-between" gap="base">
                <s-text color="subdued">{line.label}</s-text>
                <s-text type="strong">{line.value}</s-text>
              </s-stack>
            ))}
          </s-stack>
          {view.notice && <s-paragraph color="subdued">{view.notice}</s-paragraph>}
          <s-link href={view.appLink.href}>{view.appLink.label}</s-link>
        </s-stack>
      );
    }
  }
}
