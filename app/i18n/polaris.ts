// Polaris' own strings (pagination, filters, modals…) in the same four languages.
import en from "@shopify/polaris/locales/en.json";
import es from "@shopify/polaris/locales/es.json";
import it from "@shopify/polaris/locales/it.json";
import ptBR from "@shopify/polaris/locales/pt-BR.json";
import type { Locale } from "./locales";

export const POLARIS_TRANSLATIONS: Record<Locale, typeof en> = { en, es, it, "pt-BR": ptBR };
