import assert from "node:assert/strict";
import { describe, it } from "node:test";
import locales from "virtual:locales";
import type { Message } from "../src/i18n/catalogue";
import { formatNumber, matchLanguage, setLanguage, t } from "../src/i18n";
import { callLook, formatDuration } from "../src/format";
import { errorFromResponse } from "../src/api";

const english = locales.find((l) => l.tag === "en")!;
const placeholders = (m: Message): string[] =>
  [...new Set((typeof m === "string" ? [m] : Object.values(m)).flatMap((text) => [...String(text ?? "").matchAll(/\{(\w+)\}/g)].map((x) => x[1]!)))].sort();

describe("catalogues", () => {
  it("finds every language file", () => {
    assert.deepEqual(locales.map((l) => l.tag).sort(), ["en", "sk"]);
  });

  for (const locale of locales) {
    it(`${locale.tag}: the same keys as English, no more, no fewer`, () => {
      const keys = new Set(Object.keys(locale.messages));
      const reference = Object.keys(english.messages);
      assert.deepEqual(reference.filter((k) => !keys.has(k)), [], `missing in ${locale.tag}`);
      assert.deepEqual([...keys].filter((k) => !(k in english.messages)), [], `only in ${locale.tag}`);
    });

    it(`${locale.tag}: every plural text has the language's forms and the same placeholders`, () => {
      const categories = new Intl.PluralRules(locale.tag).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(locale.messages) as [keyof typeof english.messages, Message][]) {
        const wanted = english.messages[key];
        assert.deepEqual(placeholders(message), placeholders(wanted), `${locale.tag} ${String(key)}: placeholders`);
        if (typeof wanted !== "string") {
          assert.notEqual(typeof message, "string", `${locale.tag} ${String(key)}: plural forms`);
          for (const category of categories) {
            assert.ok(typeof message !== "string" && message[category], `${locale.tag} ${String(key)}: no "${category}" form`);
          }
        }
        for (const text of typeof message === "string" ? [message] : Object.values(message)) {
          assert.equal(text!.trim() === "" && text !== "", false, `${locale.tag} ${String(key)}: blank`);
        }
      }
    });
  }
});

describe("Slovak", () => {
  it("picks one / few / many / other", () => {
    setLanguage("sk");
    try {
      const found = (n: number) => t("search.contacts_found", { count: n });
      assert.equal(found(1), "Nájdený 1 kontakt");
      assert.equal(found(3), "Nájdené 3 kontakty");
      assert.equal(found(5), "Nájdených 5 kontaktov");
      assert.equal(found(0), "Nájdených 0 kontaktov");
      assert.equal(found(1.5), "Nájdeného 1,5 kontaktu");
      assert.equal(t("progress.dead_letters", { count: 2 }), "2 nedoručené správy");
      assert.equal(t("progress.dead_letters", { count: 21 }), "21 nedoručených správ");
    } finally {
      setLanguage("en");
    }
  });

  it("formats numbers, words calls and server errors in Slovak", () => {
    setLanguage("sk");
    try {
      assert.equal(formatNumber(1234.5).replace(/\s/g, " "), "1 234,5");
      assert.equal(formatDuration(75), "1 min 15 s");
      assert.equal(callLook({ direction: "inbound", disposition: "missed" }).outcome, "zmeškaný");
      assert.equal(errorFromResponse(409, { detail: "x", code: "already_on_call", params: {} }).message, "Už máte hovor.");
      assert.equal(errorFromResponse(429, { detail: "x", code: "too_many_attempts", params: { seconds: 3 } }).message, "Príliš veľa pokusov o prihlásenie. Skúste to znova o 3 sekundy.");
      const err = errorFromResponse(422, { detail: [{ loc: ["body", "first_name"], type: "string_too_long", ctx: { max_length: 100 } }] });
      assert.equal(err.fieldErrors.first_name, "Zadajte najviac 100 znakov.");
    } finally {
      setLanguage("en");
    }
  });

  it("is chosen from the browser's languages, exact or by language", () => {
    assert.equal(matchLanguage(["sk-SK", "en"]), "sk");
    assert.equal(matchLanguage(["de-AT", "en-GB"]), "en");
    assert.equal(matchLanguage([null, "cs"]), "en");
    assert.equal(matchLanguage(["sk", "en"]), "sk");
  });
});
