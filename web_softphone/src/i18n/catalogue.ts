// The shape of a message catalogue: one file per language in src/i18n/locales/ (see README).
// A message is a text with {name} placeholders, or plural forms chosen by Intl.PluralRules of
// the language for the `count` parameter (English one/other; Slovak one/few/many/other).

export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralForms;

export interface LocaleDefinition<M extends Record<string, Message> = Record<string, Message>> {
  /** BCP 47 language tag: "en", "sk". */
  tag: string;
  /** The language's own name, shown in the language menu: "English", "Slovenčina". */
  name: string;
  messages: M;
}
