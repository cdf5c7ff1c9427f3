// Every file in src/i18n/locales/, bundled by build.mjs (the `locales` plugin): adding a
// language is adding one file there.
declare module "virtual:locales" {
  import type { LocaleDefinition } from "./catalogue";
  import type { Messages } from "./locales/en";
  const locales: readonly LocaleDefinition<Messages>[];
  export default locales;
}
