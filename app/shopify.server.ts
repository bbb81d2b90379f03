// The one Shopify app configuration (as in Shopify's Remix template).
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma } from "./db.server";
import { env } from "./env.server";
import { adminClientForSession } from "./shopify/admin-client.server";
import { recordInstall } from "./shops/install.server";
import { CachedOfflineSessionStorage } from "./webhooks/session-cache.server";

const config = env();

const prismaSessionStorage = new PrismaSessionStorage(prisma);

const appConfig = {
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: prismaSessionStorage,
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Install (and re-install) creates or revives the shop's record.
    afterAuth: async ({ session }) => {
      await recordInstall({ shop: session.shop, admin: adminClientForSession(session) });
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
} satisfies Parameters<typeof shopifyApp>[0];

const shopify = shopifyApp(appConfig);

/**
 * The same app for `authenticate.webhook` alone, reading offline sessions through a short cache: the
 * webhook routes never use the session, and loading it through Prisma was most of an ack's CPU.
 * Pages and `unauthenticated.admin` (which use the token) keep reading the database every time.
 * See docs/decisions/0007.
 */
const webhookApp = shopifyApp({
  ...appConfig,
  sessionStorage: new CachedOfflineSessionStorage(prismaSessionStorage, { ttlMs: 5_000, maxEntries: 10_000 }),
});

export default shopify;
export const apiVersion = ApiVersion.October26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = { ...shopify.authenticate, webhook: webhookApp.authenticate.webhook };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
