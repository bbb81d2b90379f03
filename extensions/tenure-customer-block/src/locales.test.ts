// Every string of the block exists in every language with the same placeholders, and every plural
// has each form the language needs: a missing key fails here, not in a merchant's admin.
import { describe, expect, it } from "vitest";
import en from "../locales/en.default.json";
import es from "../locales/es.json";
import it_ from "../locales/it.json";
import ptBR from "../locales/pt-BR.json";
import { type LocaleTree, flattenLocale } from "../../../app/i18n/locale-tree";

const flatten = (tree: LocaleTree) => flattenLocale(tree);

const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);

const isPluralForm = (path: string) => PLURAL_FORMS.has(path.slice(path.lastIndexOf(".") + 1));
const baseOf = (path: string) => (isPluralForm(path) ? path.slice(0, path.lastIndexOf(".")) : path);
const baseKeys = (keys: Iterable<string>) => [...new Set([...keys].map(baseOf))].sort();
const placeholders = (text: string) => [...new Set([...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((match) => match[1]))].sort();

const english = flatten(en);
const translations = { es, it: it_, "pt-BR": ptBR } as const;

describe("customer block locales", () => {
  it("English has every plural form English needs", () => {
    for (const base of baseKeys([...english.keys()].filter(isPluralForm))) {
      for (const form of new Intl.PluralRules("en").resolvedOptions().pluralCategories) expect(english.has(`${base}.${form}`), `${base}.${form}`).toBe(true);
    }
  });

  for (const [locale, tree] of Object.entries(translations)) {
    it(`${locale} has exactly the English keys, each with the same placeholders and every plural form`, () => {
      const translated = flatten(tree);
      expect(baseKeys(translated.keys())).toEqual(baseKeys(english.keys()));
      for (const base of baseKeys([...english.keys()].filter(isPluralForm))) {
        for (const form of new Intl.PluralRules(locale).resolvedOptions().pluralCategories) {
          expect(translated.has(`${base}.${form}`), `${locale}:${base}.${form}`).toBe(true);
        }
      }
      for (const [key, text] of translated) {
        expect(text.trim(), `${locale}:${key}`).not.toBe("");
        const englishText = english.get(key) ?? english.get(`${baseOf(key)}.other`);
        expect(englishText, `${locale}:${key} has no English counterpart`).toBeDefined();
        expect(placeholders(text), `${locale}:${key}`).toEqual(placeholders(englishText!));
      }
    });
  }
});
