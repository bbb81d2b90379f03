// Every string exists in every language, with the same placeholders: a missing key fails here, not
// in front of a merchant.
import { describe, expect, it } from "vitest";
import { LOCALES, NAMESPACES, resolveLocale } from "./locales";
import { resources } from "./resources";
import { type LocaleTree, flattenLocale } from "./locale-tree";

type Tree = LocaleTree;
const flatten = (tree: Tree) => flattenLocale(tree);

const placeholders = (text: string) => [...new Set([...text.matchAll(/{{\s*(\w+)/g)].map((match) => match[1]))].sort();
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Keys with plural suffixes folded into their base key, as i18next resolves them. */
function baseKeys(keys: Iterable<string>): string[] {
  return [...new Set([...keys].map((key) => key.replace(PLURAL_SUFFIX, "")))].sort();
}

describe("translations", () => {
  for (const namespace of NAMESPACES) {
    const english = flatten(resources.en![namespace] as Tree);
    for (const locale of LOCALES.filter((locale) => locale !== "en")) {
      it(`${locale}/${namespace} has exactly the English keys, each translated with the same placeholders`, () => {
        const translated = flatten(resources[locale]![namespace] as Tree);
        expect(baseKeys(translated.keys())).toEqual(baseKeys(english.keys()));
        // Every plural needs each form the language has (Spanish, Italian and Portuguese say "many" of a million).
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const base of baseKeys([...english.keys()].filter((key) => PLURAL_SUFFIX.test(key)))) {
          for (const category of categories) expect(translated.has(`${base}_${category}`), `${locale}/${namespace}:${base}_${category}`).toBe(true);
        }
        for (const [key, text] of translated) {
          expect(text.trim(), `${locale}/${namespace}:${key}`).not.toBe("");
          const englishText = english.get(key) ?? english.get(key.replace(PLURAL_SUFFIX, "_other"));
          expect(englishText, `${locale}/${namespace}:${key} has no English counterpart`).toBeDefined();
          // {{count}} may be implicit in a singular form ("one customer").
          const expected = placeholders(englishText!).filter((name) => !(name === "count" && !text.includes("{{count")));
          expect(placeholders(text).filter((name) => name !== "count" || expected.includes("count")), `${locale}/${namespace}:${key}`).toEqual(expected);
        }
      });
    }
  }

  it("maps the admin's locale parameter onto the four languages", () => {
    expect(resolveLocale("es")).toBe("es");
    expect(resolveLocale("it-IT")).toBe("it");
    expect(resolveLocale("pt-BR")).toBe("pt-BR");
    expect(resolveLocale("pt-PT")).toBe("pt-BR");
    expect(resolveLocale("fr")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
  });
});
