// A 404 inside the app's frame (an unknown customer or segment), with the way back. Any other error
// goes on to the parent route's boundary.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Card, EmptyState } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { AppPage, useAppPath } from "~/ui/shell";

export function NotFoundBoundary({ backPath, backLabel, body }: { backPath: string; backLabel: string; body: string }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const appPath = useAppPath();
  if (!isRouteErrorResponse(error) || error.status !== 404) throw error;
  return (
    <AppPage title={t("errors.notFound")} backAction={{ content: backLabel, url: appPath(backPath) }}>
      <Card>
        <EmptyState heading={t("errors.notFound")} image="" action={{ content: backLabel, url: appPath(backPath) }}>
          <p>{body}</p>
        </EmptyState>
      </Card>
    </AppPage>
  );
}
