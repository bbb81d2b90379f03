// What the Shopify admin gives an embedded app: an offline session from install, and a session token
// (an HS256 JWT signed with the app's secret) on every page load.
import { createHmac, randomUUID } from "node:crypto";
import { prisma } from "~/db.server";
import { testEnv } from "../setup/test-env";

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A session token for `shop`; `secret` signs it with another key, as a forger would. */
export function sessionToken(shop: string, { secret = testEnv.SHOPIFY_API_SECRET }: { secret?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: testEnv.SHOPIFY_API_KEY,
      sub: "42",
      exp: now + 60,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The offline session OAuth would have stored at install. */
export async function installSession(shop: string): Promise<void> {
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: "shpat_test", scope: testEnv.SCOPES },
    update: {},
  });
}

/** The URL the admin loads the embedded app with. */
export function embeddedUrl(appUrl: string, path: string, shop: string): string {
  const host = base64url(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`);
  return `${appUrl}${path}?embedded=1&shop=${shop}&host=${host}&id_token=${sessionToken(shop)}&locale=en`;
}
