// The language menu: every catalogue, each named in its own language. In the top bar it stores
// the user's choice (PUT /api/auth/me/preferences); on the sign-in page, this browser's.

import { h, uid } from "../dom";
import { language, languages, t } from "../i18n";

export function languageMenu(onChoose: (tag: string) => void): HTMLElement {
  const id = uid("language");
  const select = h(
    "select",
    { id, class: "language-select", "data-testid": "language" },
    languages().map((l) => h("option", { value: l.tag, lang: l.tag, selected: l.tag === language() }, l.name)),
  );
  select.addEventListener("change", () => onChoose(select.value));
  return h("div", { class: "language-menu" }, h("label", { for: id, class: "visually-hidden" }, t("language.label")), select);
}
