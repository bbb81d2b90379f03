// The customer CSV's text fields and file name. Pure.

/**
 * A CSV field. Quoted when needed; text a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * is prefixed with an apostrophe (OWASP's CSV injection advice) — names and emails are typed by buyers.
 */
export function csvText(value: string | null): string {
  if (value === null || value === "") return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `tenure-<what>-<date>.csv`, ASCII only (a safe Content-Disposition file name). */
export function csvFilename(what: string, now: Date): string {
  const slug = what.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "customers";
  return `tenure-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}
