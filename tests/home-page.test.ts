// End to end: signed webhooks → queue → worker → PostgreSQL → the embedded home page the merchant sees.
import { expect, it } from "vitest";
import { runningAppForSuite } from "./support/app-under-test";
import { embeddedUrl, installSession } from "./support/admin-session";
import { waitForDrain } from "./support/queue";
import { orderPayload, refundPayload, toJson } from "./support/orders";
import { sendWebhook } from "./support/webhooks";

const shop = "home-page.myshopify.com";
const running = runningAppForSuite();

it("shows the shop's real customers, counted orders and net revenue inside the admin", async () => {
  await installSession(shop);
  // The admin loads the app in a browser (the library answers bots with 410).
  const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };
  const page = () => fetch(embeddedUrl(running.app().url, "/app", shop), { headers: browser }).then(async (response) => ({ status: response.status, html: await response.text() }));

  const empty = await page();
  expect(empty.status).toBe(200);
  expect(empty.html).toContain("No orders yet");

  const deliveries = [
    ["orders/create", orderPayload({ id: 1_100_000_000_000_000_001n, customerId: 1_200_000_000_000_000_001n, total: "1250.00", updatedAt: "2026-09-01T10:00:00Z" })],
    ["orders/create", orderPayload({ id: 1_100_000_000_000_000_002n, customerId: 1_200_000_000_000_000_002n, total: "60.50", updatedAt: "2026-09-02T10:00:00Z" })],
    ["orders/create", orderPayload({ id: 1_100_000_000_000_000_003n, customerId: null, total: "9.50", updatedAt: "2026-09-03T10:00:00Z" })],
    ["orders/create", orderPayload({ id: 1_100_000_000_000_000_004n, customerId: 1_200_000_000_000_000_002n, total: "500.00", updatedAt: "2026-09-04T10:00:00Z", test: true })],
    ["refunds/create", refundPayload({ id: 1_300_000_000_000_000_001n, orderId: 1_100_000_000_000_000_001n, amount: "250.00", createdAt: "2026-09-05T10:00:00Z" })],
  ] as const;
  for (const [topic, payload] of deliveries) {
    expect((await sendWebhook(running.app().url, { shop, topic, body: toJson(payload) })).status).toBe(200);
  }
  await waitForDrain(running.app().queuePrefix);

  const { status, html } = await page();
  expect(status).toBe(200);
  const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  // Before the first scoring the dashboard shows the live figures and says scoring is under way.
  expect(text).toContain("Tenure has 3 orders from 2 customers and is fitting its models");
  expect(text).toContain("Customers with an order 2 ");
  expect(text).toContain("Counted orders 3 ");
  // 1,250.00 + 60.50 + 9.50 gross − 250.00 refunded; the test order does not count.
  expect(text).toContain("Net revenue €1,070.00");
});

it("refuses the page without a valid session token", async () => {
  const response = await fetch(`${running.app().url}/app?embedded=1&shop=${shop}&id_token=forged.token.here`, {
    redirect: "manual",
    headers: { "User-Agent": "Mozilla/5.0 Chrome/156.0" },
  });
  expect(response.status).not.toBe(200);
});
