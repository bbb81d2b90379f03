// Every merchant page, in every language, in a real browser (Debian's Chromium driven by
// playwright-core), on the demo store: real UCI Online Retail orders replayed as signed webhooks
// through the route → queue → worker path, then the real refit. Each page must show the shop's own
// figures, log no console error, fail no request and have no serious accessibility violation (axe).
// Screenshots land in tests/.artifacts/screenshots for review.
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { Queue } from "bullmq";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { LOCALES, type Locale } from "~/i18n/locales";
import { resources } from "~/i18n/resources";
import { DEMO_SHOP, DEMO_SHOP_NAME, importOnlineRetail } from "../prisma/demo/import";
import { testEnv } from "./setup/test-env";
import { type AppUnderTest, type Running, startApp, startWorker, waitFor } from "./support/processes";
import { dropQueue, waitForDrain } from "./support/queue";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = "tests/.artifacts/screenshots";
// Enough real orders for repeat customers, segments and playbooks, small enough for CI.
const DEMO_ORDERS = 1200;

let app: AppUnderTest;
let worker: Running;
let browser: Browser;

/** A string from the bundled translations, as the page renders it. */
function translation(locale: Locale, namespace: string, key: string): string {
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], resources[locale]?.[namespace]);
  if (typeof value !== "string") throw new Error(`no ${locale} ${namespace}:${key}`);
  return value;
}

const money = (locale: Locale, amount: string | number) => new Intl.NumberFormat(locale, { style: "currency", currency: "GBP" }).format(Number(amount));
const count = (locale: Locale, value: number) => new Intl.NumberFormat(locale).format(value);

beforeAll(async () => {
  app = await startApp({ TENURE_DEMO: "1", NODE_ENV: "test" });
  worker = await startWorker(app);
  await prisma.shop.upsert({
    where: { domain: DEMO_SHOP },
    create: { domain: DEMO_SHOP, name: DEMO_SHOP_NAME, currency: "GBP", installedAt: new Date() },
    update: { name: DEMO_SHOP_NAME, currency: "GBP" },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });

  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.stop();
  if (app) await dropQueue(app.queuePrefix);
  await prisma.$disconnect();
});

it("imports the demo store through the webhook path, showing progress while it runs", async () => {
  const importRun = await prisma.importRun.create({ data: { shopDomain: DEMO_SHOP, source: "demo", status: "importing", expectedOrders: DEMO_ORDERS } });
  // While the import runs the dashboard says so, with its progress.
  const importing = importOnlineRetail({ appUrl: app.url, secret: testEnv.SHOPIFY_API_SECRET, maxOrders: DEMO_ORDERS, concurrency: 8 });
  const page = await browser.newPage();
  await page.goto(`${app.url}/demo?locale=en`);
  await expect.poll(() => page.getByText("Importing order history").count(), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await page.getByRole("progressbar").count()).toBeGreaterThan(0);
  await page.close();

  const imported = await importing;
  await waitForDrain(app.queuePrefix);
  expect(await prisma.order.count({ where: { shopDomain: DEMO_SHOP } })).toBe(imported.sent.orders);
  await prisma.importRun.update({ where: { id: importRun.id }, data: { status: "done", finishedAt: new Date() } });

  const tasks = new Queue("shop-tasks", { connection: { host: "127.0.0.1", port: 6379 }, prefix: app.queuePrefix });
  try {
    await tasks.add("refit", { shop: DEMO_SHOP, trigger: "manual" });
    await waitFor(async () => (await prisma.shopReport.count({ where: { shopDomain: DEMO_SHOP } })) > 0, "the demo shop's report", 120_000);
  } finally {
    await tasks.close();
  }
}, 400_000);

type PageCheck = { name: string; path: () => Promise<string>; expected: (locale: Locale) => Promise<string[]> };

async function topCustomer() {
  return prisma.customer.findFirstOrThrow({ where: { shopDomain: DEMO_SHOP, ordersCount: { gt: 0 } }, orderBy: [{ netRevenue: "desc" }, { id: "desc" }] });
}

async function largestRfmGroup() {
  const groups = await prisma.customer.groupBy({ by: ["rfmGroup"], where: { shopDomain: DEMO_SHOP, ordersCount: { gt: 0 } }, _count: true });
  return groups.sort((a, b) => b._count - a._count)[0]!;
}

async function firstPlaybook() {
  const report = await prisma.shopReport.findFirstOrThrow({ where: { shopDomain: DEMO_SHOP }, orderBy: { computedAt: "desc" } });
  const playbooks = (report.suggestions as { playbooks: Array<{ kind: string; audienceCount: number }> }).playbooks;
  expect(playbooks.length).toBeGreaterThan(0);
  return playbooks[0]!;
}

const PAGES: PageCheck[] = [
  {
    name: "dashboard",
    path: async () => "/demo",
    expected: async (locale) => [count(locale, await prisma.customer.count({ where: { shopDomain: DEMO_SHOP, ordersCount: { gt: 0 } } }))],
  },
  {
    name: "segments",
    path: async () => "/demo/segments",
    expected: async (locale) => {
      const group = await largestRfmGroup();
      return [translation(locale, "common", `segments.rfm.${group.rfmGroup}`), count(locale, group._count)];
    },
  },
  {
    name: "segment",
    path: async () => `/demo/segments/rfm/${(await largestRfmGroup()).rfmGroup}`,
    expected: async (locale) => [count(locale, (await largestRfmGroup())._count)],
  },
  {
    name: "customers",
    path: async () => "/demo/customers",
    expected: async (locale) => [money(locale, (await topCustomer()).netRevenue.toString())],
  },
  {
    name: "customer",
    path: async () => `/demo/customers/${(await topCustomer()).id}`,
    expected: async (locale) => [money(locale, (await topCustomer()).netRevenue.toString())],
  },
  {
    name: "suggestions",
    path: async () => "/demo/suggestions",
    expected: async (locale) => {
      const playbook = await firstPlaybook();
      return [translation(locale, "suggestions", `kinds.${playbook.kind}.title`), count(locale, playbook.audienceCount)];
    },
  },
  {
    name: "suggestion",
    path: async () => `/demo/suggestions/${(await firstPlaybook()).kind}`,
    expected: async (locale) => [count(locale, (await firstPlaybook()).audienceCount)],
  },
  {
    name: "settings",
    path: async () => "/demo/settings",
    expected: async (locale) => [translation(locale, "settings", "model.margin")],
  },
];

describe.each(LOCALES)("every page in %s", (locale) => {
  it.each(PAGES)("$name shows the shop's figures, cleanly and accessibly", async ({ name, path, expected }) => {
    // axe needs a page of its own context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ""}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    try {
      const response = await page.goto(`${app.url}${await path()}?locale=${locale}`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute("html", "lang")).toBe(locale);
      const text = (await page.locator("body").innerText()).replace(/\s+/g, " ");
      for (const figure of await expected(locale)) expect(text, `${name} (${locale}) shows ${figure}`).toContain(figure.replace(/\s+/g, " "));
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${locale}.png`, fullPage: true });
      const axe = await new AxeBuilder({ page }).analyze();
      const serious = axe.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
