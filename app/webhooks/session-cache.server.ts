// A read-through cache of offline sessions for the webhook path only (docs/decisions/0007).
// `authenticate.webhook` loads the shop's offline session on every delivery although Tenure's webhook
// routes never use it (they verify, queue and answer); through Prisma that load was most of an
// acknowledgement's CPU. Serving it from memory for a few seconds keeps `authenticate.webhook`
// unchanged and removes the query from the hot path.
import type { Session } from "@shopify/shopify-app-remix/server";

/** The session storage interface shopifyApp uses (what PrismaSessionStorage implements). */
export type SessionStore = {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
};

/**
 * shopify-app-remix refreshes an expiring offline token when it is within 5 minutes of expiry
 * (`ensureOfflineTokenIsNotExpired`). A cached session is never served inside that window plus the
 * TTL, so the library decides about a refresh only on a session just read from the database — never
 * on a copy another process may already have refreshed (refresh tokens are single-use).
 */
const LIBRARY_REFRESH_WINDOW_MS = 5 * 60 * 1000;

type Entry = { session: Session; loadedAt: number };

export class CachedOfflineSessionStorage implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  /** One database read per session id at a time: a burst of deliveries for a cold shop shares it. */
  private readonly loading = new Map<string, Promise<Session | undefined>>();

  constructor(
    private readonly inner: SessionStore,
    private readonly options: { ttlMs: number; maxEntries: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private servable(entry: Entry | undefined): entry is Entry {
    if (!entry) return false;
    const now = this.now();
    if (now - entry.loadedAt >= this.options.ttlMs) return false;
    const expires = entry.session.expires?.getTime();
    return expires === undefined || expires - now > LIBRARY_REFRESH_WINDOW_MS + this.options.ttlMs;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const entry = this.entries.get(id);
    if (this.servable(entry)) return entry.session;
    const pending = this.loading.get(id);
    if (pending) return pending;
    const load: Promise<Session | undefined> = this.inner.loadSession(id).then(
      (session) => {
        // A write in this process while the read was in flight makes what it read stale: not cached.
        if (this.loading.get(id) !== load) return session;
        this.loading.delete(id);
        // Only offline sessions, and never a miss: a shop that installs a second later is seen at once.
        if (session && !session.isOnline) this.remember(id, session);
        return session;
      },
      (error: unknown) => {
        if (this.loading.get(id) === load) this.loading.delete(id);
        throw error;
      },
    );
    this.loading.set(id, load);
    return load;
  }

  private remember(id: string, session: Session): void {
    this.entries.delete(id);
    // Bounded: drop the oldest entry (Map keeps insertion order), it is re-read on its next webhook.
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(id, { session, loadedAt: this.now() });
  }

  // Writes go through and forget the cached copy, so this process reads its own writes at once
  // (e.g. the session a refresh on this path just stored). Other processes' writes are seen after the TTL.
  private forget(id: string): void {
    this.entries.delete(id);
    this.loading.delete(id);
  }

  async storeSession(session: Session): Promise<boolean> {
    this.forget(session.id);
    return this.inner.storeSession(session);
  }

  async deleteSession(id: string): Promise<boolean> {
    this.forget(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.forget(id);
    return this.inner.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
