// The customer lists end to end: customers inserted straight into PostgreSQL, read back through the
// built app's embedded pages (/app/customers, /app/customers/<id>, /app/segments/<kind>/<key>) and
// their CSV exports, with a Shopify session token as the admin sends it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { embeddedUrl, installSession, sessionToken } from "./support/admin-session";
import { type AppUnderTest, startApp } from "./support/processes";

const shop = "customer-lists.myshopify.com";
const otherShop = "customer-lists-other.myshopify.com";
const browser = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };

type Seeded = {
  id: bigint;
  email: string | null;
  netRevenue: string;
  predictedClv: string | null;
  ordersCount: number;
  lastOrderAt: Date | null;
  probabilityAlive: number | null;
  rfmGroup: string;
};

const BASE_ID = 7_100_000_000_000n;
const CUSTOMERS = 83;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);

/** Customers with many ties, missing predictions, prospects without orders, and two segments. */
function seedCustomers(): Seeded[] {
  return Array.from({ length: CUSTOMERS }, (_, i) => {
    const prospect = i % 11 === 4;
    return {
      // Shuffled ids, so id order is not insertion order.
      id: BASE_ID + BigInt((i * 37) % 101),
      email: i === 17 ? "Zelda.Unique@Fastmail.test" : i % 5 === 0 ? null : `shopper${i}@example.com`,
      netRevenue: prospect ? "0.0000" : `${(i % 6) * 25}.5000`,
      predictedClv: prospect || i % 4 === 1 ? null : `${(i % 3) * 40}.2500`,
      ordersCount: prospect ? 0 : 1 + (i % 4),
      lastOrderAt: prospect ? null : day(i % 9),
      probabilityAlive: prospect || i % 7 === 2 ? null : [0.25, 0.5, 1][i % 3]!,
      rfmGroup: prospect ? "prospects" : i % 2 === 0 ? "champions" : "at_risk",
    };
  });
}

const seeded = seedCustomers();

const SORTS = ["historical_ltv", "predicted_clv", "orders", "last_order", "probability_alive"] as const;
type Sort = (typeof SORTS)[number];

const sortValue = (customer: Seeded, sort: Sort): number | null => {
  switch (sort) {
    case "historical_ltv":
      return Number(customer.netRevenue);
    case "predicted_clv":
      return customer.predictedClv === null ? null : Number(customer.predictedClv);
    case "orders":
      return customer.ordersCount;
    case "last_order":
      return customer.lastOrderAt?.getTime() ?? null;
    case "probability_alive":
      return customer.probabilityAlive;
  }
};

/** The order the list promises: by value then id in the direction asked, missing values last (by id). */
function expectedOrder(customers: Seeded[], sort: Sort, direction: "asc" | "desc"): string[] {
  const sign = direction === "asc" ? 1 : -1;
  const compareIds = (a: Seeded, b: Seeded) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * sign;
  return [...customers]
    .sort((a, b) => {
      const [x, y] = [sortValue(a, sort), sortValue(b, sort)];
      if (x === null || y === null) return x === y ? compareIds(a, b) : x === null ? 1 : -1;
      return x !== y ? (x - y) * sign : compareIds(a, b);
    })
    .map((customer) => customer.id.toString());
}

let app: AppUnderTest;

beforeAll(async () => {
  app = await startApp();
  for (const domain of [shop, otherShop]) {
    await prisma.shop.upsert({ where: { domain }, create: { domain, name: domain, currency: "EUR" }, update: {} });
    await installSession(domain);
  }
  await prisma.$executeRaw`DELETE FROM "Customer" WHERE "shopDomain" IN (${shop}, ${otherShop})`;
  for (const customer of seeded) {
    await prisma.$executeRaw`
      INSERT INTO "Customer" ("shopDomain", "id", "email", "ordersCount", "grossSales", "netRevenue", "predictedClv12m",
        "lastOrderAt", "firstOrderAt", "probabilityAlive", "rfmGroup", "valueTier")
      VALUES (${shop}, ${customer.id}, ${customer.email}, ${customer.ordersCount}, ${customer.netRevenue}::numeric,
        ${customer.netRevenue}::numeric, ${customer.predictedClv}::numeric, ${customer.lastOrderAt}, ${customer.lastOrderAt},
        ${customer.probabilityAlive}, ${customer.rfmGroup}, ${customer.rfmGroup === "prospects" ? null : "rest"})`;
  }
  await prisma.$executeRaw`
    INSERT INTO "Customer" ("shopDomain", "id", "email", "ordersCount", "netRevenue", "rfmGroup")
    VALUES (${otherShop}, ${BASE_ID + 5000n}, ${"elsewhere@example.com"}, 1, 99, 'champions')`;
});

afterAll(async () => {
  await app?.stop();
  await prisma.$disconnect();
});

async function page(path: string, params: Record<string, string> = {}, target = shop): Promise<{ status: number; html: string }> {
  const url = `${embeddedUrl(app.url, path, target)}&${new URLSearchParams(params).toString()}`;
  const response = await fetch(url, { headers: browser, redirect: "manual" });
  return { status: response.status, html: await response.text() };
}

const decode = (href: string) => href.replace(/&amp;/g, "&");

/** The customers a list page shows, in order, and its Previous/Next cursors. */
function readList(html: string): { ids: string[]; next: string | null; previous: string | null } {
  const ids = [...html.matchAll(/href="\/app\/customers\/(\d+)\?/g)].map((match) => match[1]!);
  const cursorOf = (id: string) => {
    const tag = new RegExp(`<a[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
    const href = tag && /href="([^"]+)"/.exec(tag)?.[1];
    return href ? new URL(decode(href), "http://x").searchParams.get("cursor") : null;
  };
  return { ids, next: cursorOf("nextURL"), previous: cursorOf("previousURL") };
}

async function walk(path: string, params: Record<string, string>): Promise<{ forward: string[]; backward: string[] }> {
  const forward: string[] = [];
  let cursor: string | null = null;
  let last: ReturnType<typeof readList> | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const { status, html } = await page(path, { ...params, ...(cursor ? { cursor } : {}) });
    expect(status).toBe(200);
    last = readList(html);
    forward.push(...last.ids);
    if (!last.next) break;
    cursor = last.next;
  }
  // From the last page back to the first with Previous: each earlier page, prepended.
  const backward = [...(last?.ids ?? [])];
  cursor = last?.previous ?? null;
  for (let pages = 0; cursor && pages < 100; pages++) {
    const { html } = await page(path, { ...params, cursor });
    const list = readList(html);
    backward.unshift(...list.ids);
    cursor = list.previous;
  }
  return { forward, backward };
}

describe("keyset pagination", () => {
  for (const sort of SORTS) {
    for (const direction of ["desc", "asc"] as const) {
      it(`visits every customer exactly once, in order, both ways: ${sort} ${direction}`, async () => {
        const expected = expectedOrder(seeded, sort, direction);
        const { forward, backward } = await walk("/app/customers", { sort, dir: direction, limit: "9" });
        expect(forward).toEqual(expected);
        expect(backward).toEqual(expected);
      });
    }
  }

  it("pages through one segment only, in historical LTV order (its index's), both ways", async () => {
    const champions = seeded.filter((customer) => customer.rfmGroup === "champions");
    for (const direction of ["desc", "asc"] as const) {
      const { forward, backward } = await walk("/app/segments/rfm/champions", { dir: direction, limit: "7" });
      expect(forward).toEqual(expectedOrder(champions, "historical_ltv", direction));
      expect(backward).toEqual(forward);
    }
    // Another sort would sort the whole segment for every page: the segment stays in LTV order.
    const { html } = await page("/app/segments/rfm/champions", { sort: "predicted_clv", limit: "7" });
    expect(readList(html).ids).toEqual(expectedOrder(champions, "historical_ltv", "desc").slice(0, 7));
  });

  it("starts again at page 1 with a cursor that is malformed or made for another sort", async () => {
    const first = readList((await page("/app/customers", { limit: "9" })).html);
    const junk = readList((await page("/app/customers", { limit: "9", cursor: "not-a-cursor" })).html);
    const otherSort = readList((await page("/app/customers", { limit: "9", sort: "orders", cursor: first.next! })).html);
    expect(junk.ids).toEqual(first.ids);
    expect(otherSort.ids).toEqual(expectedOrder(seeded, "orders", "desc").slice(0, 9));
    const bad = await page("/app/customers", { sort: "nonsense", dir: "up", limit: "-3", q: "%" });
    expect(bad.status).toBe(200);
  });
});

describe("search", () => {
  it("finds a customer by a fragment of their email, whatever its case", async () => {
    const { html } = await page("/app/customers", { q: "fastMAIL" });
    expect(readList(html).ids).toEqual([seeded[17]!.id.toString()]);
  });

  it("finds a customer by their id", async () => {
    const target = seeded[40]!.id.toString();
    expect(readList((await page("/app/customers", { q: target })).html).ids).toEqual([target]);
    expect(readList((await page("/app/customers", { q: `#${target}` })).html).ids).toEqual([target]);
  });

  it("says so when nobody matches, and never shows another shop's customer", async () => {
    const { html } = await page("/app/customers", { q: "elsewhere@example.com" });
    expect(readList(html).ids).toEqual([]);
    expect(html).toContain("No customers match");
  });
});

describe("the customer page", () => {
  it("shows the shop's own customer", async () => {
    const { status, html } = await page(`/app/customers/${seeded[17]!.id}`);
    expect(status).toBe(200);
    expect(html).toContain("Zelda.Unique@Fastmail.test");
  });

  it("is a 404 for another shop's customer, and for an id that is not one", async () => {
    expect((await page(`/app/customers/${BASE_ID + 5000n}`)).status).toBe(404);
    expect((await page(`/app/customers/${BASE_ID + 5000n}`, {}, otherShop)).status).toBe(200);
    expect((await page("/app/customers/not-an-id")).status).toBe(404);
    expect((await page("/app/segments/rfm/nonsense")).status).toBe(404);
  });
});

describe("CSV export", () => {
  const csv = async (path: string, params: Record<string, string> = {}) => {
    // As the page's button sends it: fetch with the session token App Bridge adds.
    const response = await fetch(`${app.url}${path}?${new URLSearchParams(params).toString()}`, {
      headers: { ...browser, Authorization: `Bearer ${sessionToken(shop)}` },
    });
    return { status: response.status, disposition: response.headers.get("Content-Disposition"), text: await response.text() };
  };

  it("of a segment holds exactly its customers, in the page's order", async () => {
    const { status, disposition, text } = await csv("/app/segments/rfm/at_risk/export", { dir: "asc" });
    expect(status).toBe(200);
    expect(disposition).toMatch(/^attachment; filename="tenure-rfm-at-risk-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...lines] = text.trimEnd().split("\n");
    expect(header!.split(",").slice(0, 5)).toEqual(["customer_id", "email", "first_name", "last_name", "orders_count"]);
    const atRisk = seeded.filter((customer) => customer.rfmGroup === "at_risk");
    expect(lines.map((line) => line.split(",")[0])).toEqual(expectedOrder(atRisk, "historical_ltv", "asc"));
    expect(lines.every((line) => line.split(",").at(-3) === "at_risk")).toBe(true);
  });

  it("of the customers list follows its search", async () => {
    const { text } = await csv("/app/customers/export", { q: "fastmail" });
    expect(text.trimEnd().split("\n").slice(1).map((line) => line.split(",")[0])).toEqual([seeded[17]!.id.toString()]);
  });

  it("needs a session token", async () => {
    const response = await fetch(`${app.url}/app/segments/rfm/at_risk/export`, { headers: browser, redirect: "manual" });
    expect(response.status).not.toBe(200);
  });
});
