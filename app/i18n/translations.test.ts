// Every string exists in every language, with the same placeholders: a missing key fails here, not
// in front of a merchant.
import { describe, expect, it } from "vitest";
import { LOCALES, NAMESPACES, resolveLocale } from "./locales";
import { resources } from "./resources";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)/g)].map((match) => match[1]).sort();

describe("translations", () => {
  for (const namespace of NAMESPACES) {
    const english = flatten(resources.en![namespace] as Tree);
    for (const locale of LOCALES.filter((locale) => locale !== "en")) {
      it(`${locale}/${namespace} has exactly the English keys, each translated with the same placeholders`, () => {
        const translated = flatten(resources[locale]![namespace] as Tree);
        expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [key, text] of translated) {
          expect(text.trim(), `${locale}/${namespace}:${key}`).not.toBe("");
          expect(placeholders(text), `${locale}/${namespace}:${key}`).toEqual(placeholders(english.get(key)!));
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
