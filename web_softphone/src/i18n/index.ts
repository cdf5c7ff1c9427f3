// The page's words: t("key", params) from the user's language's catalogue (English when a key
// is missing there), and dates, times and numbers formatted per that language (Intl).
// The language: the user's stored preference (PUT /api/auth/me/preferences), else the one
// chosen on the sign-in page (localStorage), else the browser's first language we have.

import locales from "virtual:locales";
import type { LocaleDefinition, Message } from "./catalogue";
import type { MessageKey, Messages } from "./locales/en";

export type { MessageKey } from "./locales/en";
export type Params = Record<string, string | number>;

const CHOICE_KEY = "cti.language";
const FALLBACK = "en";

const byTag = new Map<string, LocaleDefinition<Messages>>(locales.map((l) => [l.tag, l]));
const english = byTag.get(FALLBACK)!;

let current: LocaleDefinition<Messages> = english;
let chosen = false;
/** Keys asked for before the language was chosen (a label built in a module constant): they stay
 * English whatever the user's language. The Chromium tests read this list and want it empty. */
const early: string[] = [];
if (typeof window !== "undefined") (window as unknown as { __i18nEarly?: string[] }).__i18nEarly = early;
/** The Intl locale: the browser's own variant when it speaks the chosen language ("en-GB"). */
let intlLocale = FALLBACK;
let plurals = new Intl.PluralRules(FALLBACK);
let numbers = new Intl.NumberFormat(FALLBACK);

/** The languages there are catalogues for, each named in itself. */
export function languages(): { tag: string; name: string }[] {
  return locales.map((l) => ({ tag: l.tag, name: l.name })).sort((a, b) => a.tag.localeCompare(b.tag));
}

/** The first of `wanted` (tags, best first) we have a catalogue for: exact, then by language. */
export function matchLanguage(wanted: readonly (string | null | undefined)[]): string {
  for (const tag of wanted) {
    if (!tag) continue;
    const lower = tag.toLowerCase();
    if (byTag.has(lower)) return lower;
    const primary = lower.split("-")[0]!;
    if (byTag.has(primary)) return primary;
  }
  return FALLBACK;
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function storedChoice(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(CHOICE_KEY);
  } catch {
    return null;
  }
}

/** Remember a choice made before signing in (the sign-in page's menu) for this browser. */
export function rememberChoice(tag: string | null): void {
  try {
    if (tag) localStorage.setItem(CHOICE_KEY, tag);
    else localStorage.removeItem(CHOICE_KEY);
  } catch {
    /* private mode: the choice lasts this page */
  }
}

/** Decide and apply the page's language: the user's preference, this browser's choice, its languages. */
export function useLanguage(preference?: string | null): string {
  return setLanguage(matchLanguage([preference, storedChoice(), ...browserLanguages()]));
}

export function setLanguage(tag: string): string {
  chosen = true;
  current = byTag.get(tag) ?? english;
  const browserVariant = browserLanguages().find((b) => b.toLowerCase().split("-")[0] === current.tag);
  intlLocale = browserVariant ?? current.tag;
  plurals = new Intl.PluralRules(current.tag);
  numbers = new Intl.NumberFormat(intlLocale);
  if (typeof document !== "undefined") document.documentElement.lang = current.tag;
  return current.tag;
}

export function language(): string {
  return current.tag;
}

/** The locale for Intl formatting ("sk", "en-GB"). */
export function locale(): string {
  return intlLocale;
}

function pick(message: Message, params: Params | undefined): string {
  if (typeof message === "string") return message;
  const count = Number(params?.count ?? 0);
  return message[plurals.select(count)] ?? message.other;
}

/** The text for `key` in the page's language, `{name}` filled from `params` (numbers per locale). */
export function t(key: MessageKey, params?: Params): string {
  if (!chosen && typeof window !== "undefined" && early.push(key) === 1) {
    console.error(`i18n: t("${key}") before the language was chosen: build the text in a function`); // i18n-ignore
  }
  const message = current.messages[key] ?? english.messages[key] ?? key;
  return pick(message, params).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? numbers.format(value) : value;
  });
}

/** Whether the catalogue has `key` (for codes the server sends: error.<code>). */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(english.messages, key);
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return options ? new Intl.NumberFormat(intlLocale, options).format(value) : numbers.format(value);
}

export function formatPercent(fraction: number, digits = 0): string {
  return new Intl.NumberFormat(intlLocale, { style: "percent", maximumFractionDigits: digits }).format(fraction);
}

export function formatDate(date: Date, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }): string {
  return date.toLocaleDateString(intlLocale, options);
}

export function formatTime(date: Date, options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" }): string {
  return date.toLocaleTimeString(intlLocale, options);
}

export function formatDateTime(date: Date, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  return date.toLocaleString(intlLocale, options);
}

/** "Jana, Peter and Anna" / "Jana, Peter a Anna". */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(current.tag, { style: "long", type: "conjunction" }).format(items);
}
