// The agent screen's frame: top bar (brand, signed-in user, logout), a thin
// progress bar for slow requests, the search column and the card area.
// The browser phone's status chip sits in the top bar (`shell.phoneSlot`); its dock and the live
// screen-pops share one column on the right (`shell.dockSlot` above `shell.popSlot`): the phone
// that rings and the caller's card are read together. The pops' indicator is `shell.liveSlot`.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import type { User } from "../types";
import { languageMenu } from "./language";
import { staffNav } from "./staff";
import { t } from "../i18n";

export interface Shell {
  root: HTMLElement;
  searchPane: HTMLElement;
  cardPane: HTMLElement;
  /** The softphone's status chip (top bar). */
  phoneSlot: HTMLElement;
  /** The softphone's dock: top of the right-hand call column, above the pops. */
  dockSlot: HTMLElement;
  /** The live connection indicator ("Live" / "Reconnecting…"), top bar. */
  liveSlot: HTMLElement;
  /** The live screen-pops, over the workspace. */
  popSlot: HTMLElement;
  setBusy(busy: boolean): void;
  toast(message: string): void;
}

export function renderShell(app: HTMLElement, user: User, onLogout: () => void, onLanguage: (tag: string) => void): Shell {
  const searchPane = h("aside", { class: "search-pane", "aria-label": t("shell.contact_search") });
  const cardPane = h("main", { class: "card-pane", id: "main-card", tabindex: "-1" });
  const progress = h("div", { class: "progress", hidden: true, role: "progressbar", "aria-label": t("shell.loading") });
  const phoneSlot = h("div", { class: "phone-slot" });
  const liveSlot = h("div", { class: "live-slot" });
  const popSlot = h("div", { class: "pop-slot" });
  const dockSlot = h("div", { class: "dock-slot" });
  const who = user.display_name || user.login;
  const exts = user.extensions?.length ? t("staff.ext", { ext: user.extensions.join(", ") }) : "";
  const userBox = h(
    "div",
    { class: "user-box" },
    h("span", { class: "avatar small", "aria-hidden": "true" }, icon(ICONS.user)),
    h(
      "span",
      { class: "user-text" },
      h("span", { class: "user-name", "data-testid": "current-user" }, who),
      h("span", { class: "user-meta" }, [t(`shell.role_${user.role}`), exts].filter(Boolean).join(" · ")),
    ),
    languageMenu(onLanguage),
    h("button", { type: "button", class: "btn btn-ghost", onclick: onLogout }, icon(ICONS.logout), h("span", null, t("shell.log_out"))),
  );
  const header = h(
    "header",
    { class: "topbar" },
    // Not a hash link: the hash is the router's.
    h("button", { type: "button", class: "skip-link", onclick: () => cardPane.focus() }, t("shell.skip_to_the_card")),
    h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, icon(ICONS.phone)), h("span", null, t("shell.cti_bridge"))),
    staffNav(user),
    phoneSlot,
    liveSlot,
    userBox,
    progress,
  );
  const toastRegion = h("div", { class: "toast-region", role: "status", "aria-live": "polite" });
  const root = h("div", { class: "shell" }, header, h("div", { class: "workspace" }, searchPane, cardPane), h("div", { class: "call-column" }, dockSlot, popSlot), toastRegion);
  app.replaceChildren(root);

  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    root,
    searchPane,
    cardPane,
    phoneSlot,
    dockSlot,
    liveSlot,
    popSlot,
    setBusy(busy) {
      progress.hidden = !busy;
      root.setAttribute("aria-busy", String(busy));
    },
    toast(message) {
      if (toastTimer) clearTimeout(toastTimer);
      toastRegion.replaceChildren(h("div", { class: "toast" }, icon(ICONS.check), h("span", null, message)));
      toastTimer = setTimeout(() => toastRegion.replaceChildren(), 4000);
    },
  };
}
