// Tenure's customer metafield definitions, created once per shop. Definitions make the values typed
// in the admin and filterable in customer segments (`metafields.<namespace>.rfm_group = 'champions'`).
import { prisma } from "~/db.server";
import { log } from "~/lib/log.server";
import { METAFIELD_DEFINITION_CREATE, type MetafieldDefinitionCreateData } from "./admin-operations";
import { type AdminClient, assertNoUserErrors } from "./admin-client.server";
import { customerMetafieldDefinitions } from "./customer-metafields";

/**
 * Creates the definitions unless the shop's resolved namespace is already known, and returns that
 * namespace (null only when every definition existed already and Shopify did not name it; the next
 * metafieldsSet answer names it). Idempotent: a TAKEN answer means the definition exists.
 */
export async function ensureMetafieldDefinitions(shop: string, client: AdminClient): Promise<string | null> {
  const known = await prisma.shop.findUnique({ where: { domain: shop }, select: { metafieldNamespace: true } });
  if (known?.metafieldNamespace) return known.metafieldNamespace;
  let namespace: string | null = null;
  let created = 0;
  for (const definition of customerMetafieldDefinitions()) {
    const data = await client.request<MetafieldDefinitionCreateData>(METAFIELD_DEFINITION_CREATE, { definition });
    const { createdDefinition, userErrors } = data.metafieldDefinitionCreate;
    assertNoUserErrors(
      "metafieldDefinitionCreate",
      userErrors.filter((error) => error.code !== "TAKEN"),
    );
    if (createdDefinition) {
      created += 1;
      namespace ??= createdDefinition.namespace;
    }
  }
  if (namespace) await rememberMetafieldNamespace(shop, namespace);
  log.info("metafield_definitions.ensured", { shop, created, namespace });
  return namespace;
}

export async function rememberMetafieldNamespace(shop: string, namespace: string): Promise<void> {
  await prisma.shop.updateMany({ where: { domain: shop, metafieldNamespace: null }, data: { metafieldNamespace: namespace } });
}
