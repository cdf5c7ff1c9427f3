// The agent screen's frame: top bar (brand, signed-in user, logout), a thin
// progress bar for slow requests, the search column and the card area.
// The softphone (JsSIP) will get its own slot in the top bar: `shell.phoneSlot`;
// the live screen-pops go in `shell.popSlot`, their connection indicator in `shell.liveSlot`.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import type { User } from "../types";

export interface Shell {
  root: HTMLElement;
  searchPane: HTMLElement;
  cardPane: HTMLElement;
  /** Reserved for the softphone status/controls. */
  phoneSlot: HTMLElement;
  /** The live connection indicator ("Live" / "Reconnecting…"), top bar. */
  liveSlot: HTMLElement;
  /** The live screen-pops, over the workspace. */
  popSlot: HTMLElement;
  setBusy(busy: boolean): void;
  toast(message: string): void;
}

export function renderShell(app: HTMLElement, user: User, onLogout: () => void): Shell {
  const searchPane = h("aside", { class: "search-pane", "aria-label": "Contact search" });
  const cardPane = h("main", { class: "card-pane", id: "main-card", tabindex: "-1" });
  const progress = h("div", { class: "progress", hidden: true, role: "progressbar", "aria-label": "Loading" });
  const phoneSlot = h("div", { class: "phone-slot" });
  const liveSlot = h("div", { class: "live-slot" });
  const popSlot = h("div", { class: "pop-slot" });
  const who = user.display_name || user.login;
  const exts = user.extensions?.length ? `ext. ${user.extensions.join(", ")}` : "";
  const userBox = h(
    "div",
    { class: "user-box" },
    h("span", { class: "avatar small", "aria-hidden": "true" }, icon(ICONS.user)),
    h(
      "span",
      { class: "user-text" },
      h("span", { class: "user-name", "data-testid": "current-user" }, who),
      h("span", { class: "user-meta" }, [user.role, exts].filter(Boolean).join(" · ")),
    ),
    h("button", { type: "button", class: "btn btn-ghost", onclick: onLogout }, icon(ICONS.logout), h("span", null, "Log out")),
  );
  const header = h(
    "header",
    { class: "topbar" },
    // Not a hash link: the hash is the router's.
    h("button", { type: "button", class: "skip-link", onclick: () => cardPane.focus() }, "Skip to the card"),
    h("div", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, icon(ICONS.phone)), h("span", null, "CTI Bridge")),
    phoneSlot,
    liveSlot,
    userBox,
    progress,
  );
  const toastRegion = h("div", { class: "toast-region", role: "status", "aria-live": "polite" });
  const root = h("div", { class: "shell" }, header, h("div", { class: "workspace" }, searchPane, cardPane), popSlot, toastRegion);
  app.replaceChildren(root);

  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    root,
    searchPane,
    cardPane,
    phoneSlot,
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
