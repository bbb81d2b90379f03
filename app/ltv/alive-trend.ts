// P(alive) a while ago, from the same fitted BG/NBD: how the retention playbooks tell a customer
// whose chance of still buying is falling from one who has always been unlikely to return.
import { DAYS_PER_UNIT } from "./customer-history";
import { type BgNbdParams, probabilityAlive } from "./models/bgnbd";
import type { TimeUnit } from "./models/summary";

/**
 * For each customer, P(alive) `daysEarlier` days before the end of observation, or NaN when it cannot
 * be compared: the customer bought during those days (their history then was different, and a recent
 * purchase means P(alive) went up, not down) or had not yet started.
 */
export function probabilityAliveEarlier(
  params: BgNbdParams,
  summary: { x: ArrayLike<number>; tx: ArrayLike<number>; T: ArrayLike<number> },
  options: { unit: TimeUnit; daysEarlier: number },
): Float64Array {
  const shift = options.daysEarlier / DAYS_PER_UNIT[options.unit];
  const n = summary.T.length;
  const earlier = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const T = (summary.T[i] as number) - shift;
    const tx = summary.tx[i] as number;
    // t_x is measured from the first purchase; purchases after T − shift would change x and t_x.
    if (T < 0 || tx > T) continue;
    earlier[i] = probabilityAlive(params, summary.x[i] as number, tx, T);
  }
  return earlier;
}
