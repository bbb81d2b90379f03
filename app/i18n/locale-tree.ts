// Locale files as flat key → text maps, for the tests that keep the languages in step (the app's
// own locales and the customer block's).
export type LocaleTree = { [key: string]: string | LocaleTree };

/** Leaf paths to text: `{ a: { b: "x" } }` → `a.b` → "x". */
export function flattenLocale(tree: LocaleTree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [inner, text] of flattenLocale(value, path)) out.set(inner, text);
  }
  return out;
}
