import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ShopSettingsValues } from "~/settings/settings";
import { AppPage, useShell, useToast } from "~/ui/shell";
import type { settingsAction, settingsLoader } from "./settings.server";

type Draft = { [K in keyof ShopSettingsValues]: string };

const toDraft = (settings: ShopSettingsValues): Draft => ({
  grossMarginPercent: String(settings.grossMarginPercent),
  monthlyDiscountRatePercent: String(settings.monthlyDiscountRatePercent),
  predictionHorizonMonths: String(settings.predictionHorizonMonths),
  acquisitionCost: settings.acquisitionCost ?? "",
  highValueRule: settings.highValueRule,
  highValueThreshold: settings.highValueThreshold,
  highValueBasis: settings.highValueBasis,
  tagName: settings.tagName,
  autoTagging: settings.autoTagging ? "on" : "",
  writeMetafields: settings.writeMetafields ? "on" : "",
});

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof settingsLoader>();
  const result = useActionData<typeof settingsAction>();
  const navigation = useNavigation();
  const { t } = useTranslation("settings");
  const { currency } = useShell();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const saving = navigation.state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  const error = (field: keyof ShopSettingsValues) => (errors[field] ? t(errors[field]!) : undefined);
  const field = (name: keyof Draft) => ({
    name,
    value: draft[name],
    onChange: (value: string) => setDraft((previous) => ({ ...previous, [name]: value })),
    error: error(name),
    autoComplete: "off",
  });

  useEffect(() => {
    if (result?.ok) toast(t("saved"));
    else if (result && !result.ok) toast(t("notSaved"), { isError: true });
  }, [result, toast, t]);

  return (
    <AppPage title={t("title")}>
      <Form method="post">
        <Layout>
          <Layout.AnnotatedSection title={t("model.title")} description={t("model.description")}>
            <Card>
              <FormLayout>
                <TextField label={t("model.margin")} type="number" suffix="%" helpText={t("model.marginHelp")} {...field("grossMarginPercent")} />
                <TextField label={t("model.discount")} type="number" suffix="%" helpText={t("model.discountHelp")} {...field("monthlyDiscountRatePercent")} />
                <TextField label={t("model.horizon")} type="number" suffix={t("model.months")} helpText={t("model.horizonHelp")} {...field("predictionHorizonMonths")} />
                <TextField label={t("model.cac")} type="text" inputMode="decimal" prefix={currency ?? undefined} helpText={t("model.cacHelp")} {...field("acquisitionCost")} />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("highValue.title")} description={t("highValue.description")}>
            <Card>
              <FormLayout>
                <Select
                  label={t("highValue.rule")}
                  options={[
                    { value: "top_percent", label: t("highValue.topPercent") },
                    { value: "min_amount", label: t("highValue.minAmount") },
                  ]}
                  {...field("highValueRule")}
                />
                <TextField
                  label={draft.highValueRule === "top_percent" ? t("highValue.percentLabel") : t("highValue.amountLabel")}
                  type="text"
                  inputMode="decimal"
                  suffix={draft.highValueRule === "top_percent" ? "%" : undefined}
                  prefix={draft.highValueRule === "min_amount" ? (currency ?? undefined) : undefined}
                  {...field("highValueThreshold")}
                />
                <Select
                  label={t("highValue.basis")}
                  options={[
                    { value: "predicted", label: t("highValue.predicted") },
                    { value: "historical", label: t("highValue.historical") },
                  ]}
                  helpText={t("highValue.basisHelp")}
                  {...field("highValueBasis")}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("tagging.title")} description={t("tagging.description")}>
            <Card>
              <FormLayout>
                <TextField label={t("tagging.tag")} helpText={t("tagging.tagHelp")} {...field("tagName")} />
                <Checkbox
                  label={t("tagging.auto")}
                  helpText={t("tagging.autoHelp")}
                  name="autoTagging"
                  checked={draft.autoTagging === "on"}
                  onChange={(checked) => setDraft((previous) => ({ ...previous, autoTagging: checked ? "on" : "" }))}
                  error={error("autoTagging")}
                />
                <Checkbox
                  label={t("tagging.metafields")}
                  helpText={t("tagging.metafieldsHelp")}
                  name="writeMetafields"
                  checked={draft.writeMetafields === "on"}
                  onChange={(checked) => setDraft((previous) => ({ ...previous, writeMetafields: checked ? "on" : "" }))}
                  error={error("writeMetafields")}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <BlockStack gap="200">
              <InlineStack align="end">
                <Button submit variant="primary" loading={saving}>
                  {t("save")}
                </Button>
              </InlineStack>
              <Text as="p" tone="subdued" alignment="end">
                {t("appliedAtRescore")}
              </Text>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </AppPage>
  );
}
