// Seeded simulation of a shop's customers as the BG/NBD and Gamma-Gamma models describe them:
// purchase rates vary between customers (Gamma), each may drop out after any purchase (Beta), and
// each has their own typical order value (Gamma-Gamma). Realistic heterogeneity for model tests.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia and Tsang. */
export function gamma(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gamma(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    if (Math.log(random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export type SimulatedOrder = { customer: number; week: number; amount: number };

/** Customers join over the first `joinWeeks` weeks and are observed until week `weeks`. */
export function simulateShop(options: { customers: number; weeks: number; joinWeeks: number; seed: number }): SimulatedOrder[] {
  const random = seededRandom(options.seed);
  const orders: SimulatedOrder[] = [];
  for (let customer = 0; customer < options.customers; customer += 1) {
    const rate = gamma(random, 0.25, 4); // purchases per week (CDNOW-like r, alpha)
    const a = gamma(random, 0.8, 1);
    const dropout = a / (a + gamma(random, 2.4, 1)); // Beta(0.8, 2.4)
    const typicalValue = gamma(random, 4, 15 * 6); // Gamma-Gamma: ν ~ Gamma(q, v), order ~ Gamma(p, ν)
    let week = random() * options.joinWeeks;
    for (;;) {
      orders.push({ customer, week, amount: Math.max(1, Math.round(gamma(random, 6, typicalValue) * 100) / 100) });
      if (random() < dropout) break;
      week += gamma(random, 1, rate);
      if (week > options.weeks) break;
    }
  }
  return orders;
}
