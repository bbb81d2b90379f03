// One leaky bucket per shop, shared by every web and worker process through Redis, mirroring
// Shopify's calculated-cost limit for the app on that shop: a call waits until the bucket holds its
// estimated cost, takes it, and every response's `throttleStatus` corrects the estimate.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ThrottleStatus } from "./admin-operations";

/** What Tenure assumes before Shopify has told it (shopify.dev rate limits: standard plans). */
export const DEFAULT_BUCKET: ThrottleStatus = { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 100 };

// State per shop: Shopify's last reported bucket (`available` at `at`, refilling at `rate` up to `max`)
// and the calls in flight (a sorted set of "<id>:<cost>" scored by when the reservation lapses). A call
// may start when the refilled bucket minus what is in flight covers its cost. Calls Shopify has
// counted but whose answer we have not read yet are counted twice, which errs on the safe side; a
// process that dies mid-call stops counting when its reservation lapses.
const STATE = `
local state = redis.call('HMGET', KEYS[1], 'available', 'max', 'rate', 'at')
local now = tonumber(ARGV[1])
local max = tonumber(state[2]) or tonumber(ARGV[3])
local rate = tonumber(state[3]) or tonumber(ARGV[4])
local available = tonumber(state[1]) or max
local at = tonumber(state[4]) or now
if now > at then available = math.min(max, available + (now - at) * rate / 1000) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local inflight = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  inflight = inflight + tonumber(string.match(member, ':(%d+)$'))
end
`;

// KEYS[1] bucket, KEYS[2] in-flight set; ARGV: now (ms), cost, default max, default rate, reservation id, lapse (ms).
// Returns 0 when the call may go, else the milliseconds to wait before asking again.
const RESERVE = STATE + `
-- A call dearer than the whole bucket goes when the bucket is full (Shopify then decides).
local cost = math.min(tonumber(ARGV[2]), max)
redis.call('HSET', KEYS[1], 'available', available, 'max', max, 'rate', rate, 'at', now)
redis.call('PEXPIRE', KEYS[1], 3600000)
if available - inflight >= cost then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[5] .. ':' .. ARGV[2])
  redis.call('PEXPIRE', KEYS[2], 3600000)
  return 0
end
return math.max(1, math.ceil((cost - (available - inflight)) * 1000 / rate))
`;

// KEYS as above; ARGV: now, reservation member, Shopify's currentlyAvailable, maximumAvailable, restoreRate.
// Shopify's figure is the truth about the bucket: it counts this call and every other client of the app.
const OBSERVE = `
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'available', ARGV[3], 'max', ARGV[4], 'rate', ARGV[5], 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], 3600000)
return 1
`;

// KEYS[2]; ARGV: reservation member. A call that got no answer (network failure) stops counting.
const RELEASE = `redis.call('ZREM', KEYS[2], ARGV[1]) return 1`;

export type Reservation = { id: string; cost: number };

export type CostLimiter = {
  /** Waits until the shop's bucket, less the calls in flight, holds `cost` points; the call may then go. */
  reserve(shop: string, cost: number): Promise<Reservation>;
  /** Records Shopify's answer to a reserved call: its `throttleStatus` becomes the bucket. */
  observe(shop: string, reservation: Reservation, status: ThrottleStatus): Promise<void>;
  /** A reserved call that got no answer. */
  release(shop: string, reservation: Reservation): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A reservation lapses after this long: longer than any call (the transport times out at 60 s). */
const RESERVATION_LAPSE_MS = 90_000;

export function redisCostLimiter(redis: Redis, options: { keyPrefix: string }): CostLimiter {
  const keys = (shop: string) => [`${options.keyPrefix}:admin-cost:${shop}`, `${options.keyPrefix}:admin-inflight:${shop}`];
  const member = (reservation: Reservation) => `${reservation.id}:${reservation.cost}`;
  return {
    async reserve(shop, cost) {
      const reservation = { id: randomUUID(), cost: Math.max(1, Math.ceil(cost)) };
      for (;;) {
        const waitMs = Number(
          await redis.eval(
            RESERVE,
            2,
            ...keys(shop),
            Date.now(),
            reservation.cost,
            DEFAULT_BUCKET.maximumAvailable,
            DEFAULT_BUCKET.restoreRate,
            reservation.id,
            RESERVATION_LAPSE_MS,
          ),
        );
        if (waitMs <= 0) return reservation;
        // A little jitter so processes waiting on one shop do not all ask again at the same instant.
        await sleep(waitMs + Math.floor(Math.random() * 20));
      }
    },
    async observe(shop, reservation, status) {
      await redis.eval(OBSERVE, 2, ...keys(shop), Date.now(), member(reservation), status.currentlyAvailable, status.maximumAvailable, status.restoreRate);
    },
    async release(shop, reservation) {
      await redis.eval(RELEASE, 2, ...keys(shop), member(reservation));
    },
  };
}
