// What a customer list asks for — sort, direction, search, segment, page — and how it travels in a
// URL. Pure: parsing never throws (a bad parameter falls back to its default, never a 500), and the
// page cursor is an opaque token that the server validates before any of it reaches SQL.
import { RFM_GROUPS, type RfmGroup } from "~/ltv/rfm";
import { VALUE_TIERS, type ValueTier } from "~/ltv/value-tiers";

export const CUSTOMER_SORTS = ["historical_ltv", "predicted_clv", "orders", "last_order", "probability_alive"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const SORT_DIRECTIONS = ["desc", "asc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export const DEFAULT_SORT: CustomerSort = "historical_ltv";
export const DEFAULT_DIRECTION: SortDirection = "desc";
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 250;
/** Text search needs this many characters (the trigram index cannot help below it). */
export const MIN_SEARCH_LENGTH = 3;
export const MAX_SEARCH_LENGTH = 100;

export type CustomerSegment = { kind: "rfm"; key: RfmGroup } | { kind: "tier"; key: ValueTier };
export type CustomerAudience = { playbook: string };

export type CustomerListQuery = {
  shop: string;
  sort: CustomerSort;
  direction: SortDirection;
  search?: string;
  segment?: CustomerSegment;
  /** Customers in SuggestionMember for this playbook. */
  audience?: CustomerAudience;
  cursor?: string | null;
  limit?: number;
};

/** The kind of value each sort orders by, and whether it can be missing (missing values sort last). */
export const SORT_KEYS: Record<CustomerSort, { type: "numeric" | "integer" | "timestamp" | "float"; nullable: boolean }> = {
  historical_ltv: { type: "numeric", nullable: false },
  predicted_clv: { type: "numeric", nullable: true },
  orders: { type: "integer", nullable: false },
  last_order: { type: "timestamp", nullable: true },
  probability_alive: { type: "float", nullable: true },
};

/**
 * The sorts a list offers. A segment is read in historical-LTV order only: that is the order its
 * keyset index (Customer_{rfm_group,value_tier}_keyset_idx) holds, and any other order would sort
 * the whole segment (up to 500,000 customers) for every page.
 */
export function sortsFor(filter: { segment?: CustomerSegment | null }): readonly CustomerSort[] {
  return filter.segment ? ["historical_ltv"] : CUSTOMER_SORTS;
}

/** The sort a query is read in: its own when the list offers it, else historical LTV. */
export function appliedSort(query: { sort: CustomerSort; segment?: CustomerSegment | null }): CustomerSort {
  return sortsFor(query).includes(query.sort) ? query.sort : DEFAULT_SORT;
}

export const isCustomerSort = (value: unknown): value is CustomerSort => CUSTOMER_SORTS.includes(value as CustomerSort);
export const isSortDirection = (value: unknown): value is SortDirection => SORT_DIRECTIONS.includes(value as SortDirection);

export function parseSegment(kind: string | undefined, key: string | undefined): CustomerSegment | null {
  if (kind === "rfm" && RFM_GROUPS.includes(key as RfmGroup)) return { kind: "rfm", key: key as RfmGroup };
  if (kind === "tier" && VALUE_TIERS.includes(key as ValueTier)) return { kind: "tier", key: key as ValueTier };
  return null;
}

const PLAYBOOK = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Sort, direction, search, page and page size from a list URL; anything invalid becomes its default. */
export function parseCustomerListParams(params: URLSearchParams): Omit<CustomerListQuery, "shop" | "segment"> {
  const sort = params.get("sort");
  const direction = params.get("dir");
  const search = (params.get("q") ?? "").trim().slice(0, MAX_SEARCH_LENGTH);
  const cursor = params.get("cursor");
  const limit = Number(params.get("limit"));
  const playbook = params.get("playbook");
  return {
    sort: isCustomerSort(sort) ? sort : DEFAULT_SORT,
    direction: isSortDirection(direction) ? direction : DEFAULT_DIRECTION,
    ...(search ? { search } : {}),
    cursor: cursor && cursor.length <= 512 ? cursor : null,
    ...(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? { limit } : {}),
    ...(playbook && PLAYBOOK.test(playbook) ? { audience: { playbook } } : {}),
  };
}

/** The URL parameters of a list query (defaults left out), the inverse of parseCustomerListParams. */
export function customerListParams(query: Partial<Pick<CustomerListQuery, "sort" | "direction" | "search" | "cursor" | "audience">>): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.sort && query.sort !== DEFAULT_SORT) params.sort = query.sort;
  if (query.direction && query.direction !== DEFAULT_DIRECTION) params.dir = query.direction;
  if (query.search) params.q = query.search;
  if (query.audience) params.playbook = query.audience.playbook;
  if (query.cursor) params.cursor = query.cursor;
  return params;
}

// ---------------------------------------------------------------------------------------------------
// Search

export type CustomerSearch =
  | { kind: "none" }
  /** Fewer than MIN_SEARCH_LENGTH characters and not a customer id: nothing is filtered. */
  | { kind: "tooShort"; term: string }
  /** `pattern` is a LIKE pattern on the lowered name/email text; `id` an exact customer id. */
  | { kind: "match"; term: string; id: string | null; pattern: string | null };

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A customer id as the merchant may paste it: 123, #123, Customer #123 or gid://shopify/Customer/123. */
function customerIdIn(term: string): string | null {
  const match = /^(?:gid:\/\/shopify\/customer\/|customer\s*#?|#)?\s*(\d{1,19})$/i.exec(term);
  if (!match) return null;
  const digits = match[1] as string;
  return BigInt(digits) <= MAX_BIGINT ? BigInt(digits).toString() : null;
}

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

export function parseSearch(raw: string | undefined | null): CustomerSearch {
  const term = (raw ?? "").trim().replace(/\s+/g, " ").slice(0, MAX_SEARCH_LENGTH);
  if (!term) return { kind: "none" };
  const id = customerIdIn(term);
  const lowered = term.toLowerCase();
  const pattern = [...lowered].length >= MIN_SEARCH_LENGTH ? `%${escapeLike(lowered)}%` : null;
  if (!id && !pattern) return { kind: "tooShort", term };
  // "#123" or a gid is only an id; a bare number may also be part of an email ("anna1987@…").
  return { kind: "match", term, id, pattern: id && !/^\d+$/.test(term) ? null : pattern };
}

// ---------------------------------------------------------------------------------------------------
// Cursors

/**
 * A place in the list's order: the sort value (as PostgreSQL writes it; null in the section of
 * customers without one, which comes after every value in both directions) and the customer id.
 */
export type CursorPosition = { value: string | null; id: string };
export type DecodedCursor = { sort: CustomerSort; direction: SortDirection; travel: "next" | "previous"; position: CursorPosition };

const VALUE_SHAPES: Record<(typeof SORT_KEYS)[CustomerSort]["type"], (value: string) => boolean> = {
  numeric: (value) => /^-?\d{1,16}(\.\d{1,4})?$/.test(value),
  integer: (value) => /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647,
  timestamp: (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(value);
    if (!match) return false;
    const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  },
  float: (value) => /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(value) && Number.isFinite(Number(value)),
};

export function encodeCursor(cursor: DecodedCursor): string {
  const payload = [cursor.sort, cursor.direction, cursor.travel === "next" ? "n" : "p", cursor.position.value, cursor.position.id];
  // The payload is ASCII (sort names, digits, timestamps), so btoa needs no UTF-8 step.
  return btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor, or null when it is malformed, tampered with, or made for another sort or direction. */
export function decodeCursor(token: string | null | undefined, expected: { sort: CustomerSort; direction: SortDirection }): DecodedCursor | null {
  if (!token || token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return null;
  }
  if (!Array.isArray(payload) || payload.length !== 5) return null;
  const [sortName, directionName, travel, value, id] = payload as unknown[];
  if (sortName !== expected.sort || directionName !== expected.direction) return null;
  const { sort, direction } = expected;
  if (travel !== "n" && travel !== "p") return null;
  if (typeof id !== "string" || !/^\d{1,19}$/.test(id) || BigInt(id) > MAX_BIGINT) return null;
  const key = SORT_KEYS[sort];
  if (value === null) {
    if (!key.nullable) return null;
  } else if (typeof value !== "string" || !VALUE_SHAPES[key.type](value)) {
    return null;
  }
  return { sort, direction, travel: travel === "n" ? "next" : "previous", position: { value, id } };
}
