// Says why predicted CLV and P(alive) are empty when the shop's models have none to give.
import { Banner } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { ModelStatus } from "./explanation";

export function usePredictionsUnavailableText(): (model: Exclude<ModelStatus, { state: "ready" }>) => string {
  const { t } = useTranslation("customers");
  return (model) =>
    model.state === "notFitted" ? t("predictions.notFitted") : t(`predictions.${model.reason}`, { repeat: model.repeatCustomers, needed: model.needed });
}

export function PredictionsBanner({ model }: { model: ModelStatus }) {
  const { t } = useTranslation("customers");
  const text = usePredictionsUnavailableText();
  if (model.state === "ready") return null;
  return (
    <Banner tone="info" title={t("predictions.title")}>
      <p>{text(model)}</p>
    </Banner>
  );
}
