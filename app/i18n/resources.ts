// Every translation, bundled: pages render on the server and hydrate without fetching strings.
import type { Resource } from "i18next";
import { LOCALES, NAMESPACES } from "./locales";

const files = import.meta.glob<{ default: Record<string, unknown> }>("../locales/*/*.json", { eager: true });

function buildResources(): Resource {
  const resources: Resource = {};
  for (const locale of LOCALES) {
    resources[locale] = {};
    for (const namespace of NAMESPACES) {
      const file = files[`../locales/${locale}/${namespace}.json`];
      resources[locale]![namespace] = file?.default ?? {};
    }
  }
  return resources;
}

export const resources = buildResources();
