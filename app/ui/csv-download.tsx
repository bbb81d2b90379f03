// A button that downloads a CSV from one of Tenure's export routes. It fetches rather than links:
// embedded in the admin, App Bridge adds the session token to same-origin fetches (a plain link would
// carry none); the file is then saved from the response under the name the server gives it.
import { Button } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "~/ui/shell";

/** The file name from `Content-Disposition: attachment; filename="…"`. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  const match = header && /filename="?([^";]+)"?/i.exec(header);
  return match?.[1] ?? fallback;
}

export function CsvDownloadButton({ url, label, fallbackFilename = "tenure-customers.csv" }: { url: string; label?: string; fallbackFilename?: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    toast(t("csv.downloading"));
    try {
      const response = await fetch(url, { headers: { Accept: "text/csv" } });
      if (!response.ok) throw new Error(`CSV export answered ${response.status}`);
      const blob = await response.blob();
      const objectUrl = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = objectUrl;
      link.download = filenameFromDisposition(response.headers.get("Content-Disposition"), fallbackFilename);
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Give the browser a moment to start the download before the blob goes.
      setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
      toast(t("csv.downloaded"));
    } catch {
      toast(t("csv.failed"), { isError: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button onClick={() => void download()} loading={busy} disabled={busy}>
      {label ?? t("actions.exportCsv")}
    </Button>
  );
}
