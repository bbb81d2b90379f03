// The languages Tenure speaks, and how the admin's `locale` parameter maps onto them.

export const LOCALES = ["en", "es", "it", "pt-BR"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Every namespace has one JSON file per locale in app/locales/<locale>/<namespace>.json. */
export const NAMESPACES = ["common", "dashboard", "segments", "customers", "suggestions", "settings"] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * The admin passes its language as `locale` ("es", "pt-BR", "it-IT", …). Exact match first, then the
 * language alone: any Portuguese gets Brazilian Portuguese, the only one we ship.
 */
export function resolveLocale(requested: string | null | undefined): Locale {
  if (!requested) return DEFAULT_LOCALE;
  const normalised = requested.trim().replace("_", "-");
  const exact = LOCALES.find((locale) => locale.toLowerCase() === normalised.toLowerCase());
  if (exact) return exact;
  const language = normalised.split("-")[0]?.toLowerCase();
  return LOCALES.find((locale) => locale.split("-")[0] === language) ?? DEFAULT_LOCALE;
}

/** The locale a request asks for (`?locale=`), as Shopify's admin passes it to embedded apps. */
export function localeFromRequest(request: Request): Locale {
  return resolveLocale(new URL(request.url).searchParams.get("locale"));
}
