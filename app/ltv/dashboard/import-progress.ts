// How far an order-history import has come, as the progress bar shows it.

/**
 * Whole percent of the expected orders stored so far; null when the import does not know how many to
 * expect. Never 100 while importing (orders arriving by webhook meanwhile can push the count past
 * the expected total): 100 % is for a finished import.
 */
export function importPercent(storedOrders: number, expectedOrders: number | null): number | null {
  if (expectedOrders === null || !(expectedOrders > 0)) return null;
  return Math.max(0, Math.min(99, Math.floor((storedOrders / expectedOrders) * 100)));
}
