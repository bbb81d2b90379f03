// "In Shopify" on a segment or audience page: tag its customers, create a Shopify segment from it, or
// open the one created before. In the demo store it only says that the demo is not connected.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ShopifyActionResult, ShopifyActionsData } from "~/pages/shopify-actions.server";
import { useFormat, useToast } from "~/ui/shell";

export function ShopifyActionsCard({ data, namespace }: { data: ShopifyActionsData; namespace: "segments" | "suggestions" }) {
  const { t } = useTranslation(namespace);
  const format = useFormat();
  const toast = useToast();
  const fetcher = useFetcher<ShopifyActionResult>();
  const [tag, setTag] = useState(data.defaultTag);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  const segment = result?.ok && result.intent === "create_segment" ? { name: result.name, number: result.number } : data.segment;

  useEffect(() => {
    if (!result || fetcher.state !== "idle") return;
    if (!result.ok) toast(t(`shopify.errors.${result.error}`), { isError: true });
    else if (result.intent === "tag") toast(t("shopify.tagQueued", { count: result.queued, formatted: format.number(result.queued) }));
    else toast(result.created ? t("shopify.segmentCreated") : t("shopify.segmentExisted"));
  }, [result, fetcher.state, toast, t, format]);

  if (data.status !== "connected") {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("shopify.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t(data.status === "demo" ? "shopify.demo" : "shopify.disconnected")}
          </Text>
        </BlockStack>
      </Card>
    );
  }
  const submit = (intent: "tag" | "create_segment") => fetcher.submit({ intent, tag }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("shopify.title")}
        </Text>
        <Text as="p">{t("shopify.body")}</Text>
        <InlineStack gap="300" blockAlign="end" wrap>
          <div style={{ minWidth: "16rem" }}>
            <TextField
              label={t("shopify.tagLabel")}
              helpText={t("shopify.tagHelp")}
              value={tag}
              onChange={setTag}
              autoComplete="off"
              error={result && !result.ok && result.error === "invalid_tag" ? t("shopify.errors.invalid_tag") : undefined}
            />
          </div>
          <Button onClick={() => submit("tag")} loading={busy && fetcher.formData?.get("intent") === "tag"} disabled={busy}>
            {t("shopify.tagAction")}
          </Button>
          {!segment && (
            <Button onClick={() => submit("create_segment")} loading={busy && fetcher.formData?.get("intent") === "create_segment"} disabled={busy}>
              {t("shopify.createSegment")}
            </Button>
          )}
        </InlineStack>
        {result?.ok && result.intent === "tag" && (
          <Banner tone="success">
            <p>{t("shopify.tagQueued", { count: result.queued, formatted: format.number(result.queued) })}</p>
          </Banner>
        )}
        {segment && (
          <Text as="p">
            {t("shopify.segmentIs", { name: segment.name })}{" "}
            <Link url={`shopify:admin/customers/segments/${segment.number}`} target="_top">
              {t("shopify.openSegment")}
            </Link>
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
