import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ensureShopExists } from "~/orders/store.server";
import { requireShop } from "~/shops/request-shop.server";
import { type SettingsFieldErrors, parseSettingsForm } from "~/settings/settings";
import { getShopSettings, saveShopSettings } from "~/settings/settings.server";

export async function settingsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request);
  return { settings: await getShopSettings(shop) };
}

export async function settingsAction({ request }: ActionFunctionArgs): Promise<{ ok: true } | { ok: false; errors: SettingsFieldErrors }> {
  const { shop } = await requireShop(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = parseSettingsForm(form);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  await ensureShopExists(shop);
  await saveShopSettings(shop, parsed.values);
  return { ok: true };
}
