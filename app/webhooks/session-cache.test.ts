import { Session } from "@shopify/shopify-app-remix/server";
import { describe, expect, it } from "vitest";
import { CachedOfflineSessionStorage, type SessionStore } from "./session-cache.server";

const MINUTE = 60_000;

function offline(shop: string, expires: Date | undefined, accessToken = "shpat_1"): Session {
  return new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, expires, accessToken });
}

/** An in-memory store that counts reads, with a gate to hold a read in flight. */
function fakeStore(initial: Session[] = []) {
  const rows = new Map(initial.map((session) => [session.id, session]));
  let gate: Promise<void> | undefined;
  const store = {
    reads: 0,
    hold(): () => void {
      let release = () => undefined as void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    rows,
    async loadSession(id: string) {
      store.reads += 1;
      const snapshot = rows.get(id);
      if (gate) await gate;
      return snapshot;
    },
    async storeSession(session: Session) {
      rows.set(session.id, session);
      return true;
    },
    async deleteSession(id: string) {
      rows.delete(id);
      return true;
    },
    async deleteSessions(ids: string[]) {
      for (const id of ids) rows.delete(id);
      return true;
    },
    async findSessionsByShop(shop: string) {
      return [...rows.values()].filter((session) => session.shop === shop);
    },
  } satisfies SessionStore & Record<string, unknown>;
  return store;
}

function setup(initial: Session[]) {
  let now = Date.UTC(2026, 10, 25, 12);
  const inner = fakeStore(initial);
  const cache = new CachedOfflineSessionStorage(inner, { ttlMs: 5_000, maxEntries: 2, now: () => now });
  return { inner, cache, advance: (ms: number) => (now += ms), at: () => now };
}

describe("the webhook path's offline session cache", () => {
  it("reads a shop's offline session from the database once per TTL", async () => {
    const { inner, cache, advance, at } = setup([]);
    inner.rows.set("offline_a.myshopify.com", offline("a.myshopify.com", new Date(at() + 60 * MINUTE)));
    for (let i = 0; i < 5; i++) expect((await cache.loadSession("offline_a.myshopify.com"))?.shop).toBe("a.myshopify.com");
    expect(inner.reads).toBe(1);
    advance(5_000);
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.reads).toBe(2);
  });

  it("never serves a cached session the library would refresh, so a refresh always starts from the database", async () => {
    const { inner, cache, at } = setup([]);
    // 5 min (the library's refresh window) + 5 s (TTL) from expiry: read through every time.
    inner.rows.set("offline_a.myshopify.com", offline("a.myshopify.com", new Date(at() + 5 * MINUTE + 5_000)));
    await cache.loadSession("offline_a.myshopify.com");
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.reads).toBe(2);
  });

  it("does not remember a missing session: a shop installed a moment later is seen at once", async () => {
    const { inner, cache, at } = setup([]);
    expect(await cache.loadSession("offline_a.myshopify.com")).toBeUndefined();
    inner.rows.set("offline_a.myshopify.com", offline("a.myshopify.com", new Date(at() + 60 * MINUTE)));
    expect(await cache.loadSession("offline_a.myshopify.com")).toBeDefined();
  });

  it("forgets a session this process stores or deletes", async () => {
    const { inner, cache, at } = setup([]);
    inner.rows.set("offline_a.myshopify.com", offline("a.myshopify.com", new Date(at() + 60 * MINUTE)));
    await cache.loadSession("offline_a.myshopify.com");
    await cache.storeSession(offline("a.myshopify.com", new Date(at() + 120 * MINUTE), "shpat_2"));
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("shpat_2");
    await cache.deleteSessions(["offline_a.myshopify.com"]);
    expect(await cache.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });

  it("shares one read between concurrent deliveries, and drops a read that a write overtook", async () => {
    const { inner, cache, at } = setup([]);
    inner.rows.set("offline_a.myshopify.com", offline("a.myshopify.com", new Date(at() + 60 * MINUTE), "shpat_old"));
    const release = inner.hold();
    const reads = [cache.loadSession("offline_a.myshopify.com"), cache.loadSession("offline_a.myshopify.com")];
    await cache.storeSession(offline("a.myshopify.com", new Date(at() + 60 * MINUTE), "shpat_new"));
    release();
    expect((await Promise.all(reads)).map((session) => session?.accessToken)).toEqual(["shpat_old", "shpat_old"]);
    expect(inner.reads).toBe(1);
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("shpat_new");
  });

  it("keeps at most maxEntries sessions", async () => {
    const { inner, cache, at } = setup([]);
    for (const shop of ["a", "b", "c"]) inner.rows.set(`offline_${shop}`, offline(shop, new Date(at() + 60 * MINUTE)));
    for (const shop of ["a", "b", "c"]) await cache.loadSession(`offline_${shop}`);
    await cache.loadSession("offline_a");
    expect(inner.reads).toBe(4);
  });
});
