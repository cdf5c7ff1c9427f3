// The agent screen's keyboard shortcuts: answer, hang up, mute, hold, collapse the pops, focus
// the search. Alt+letter by physical key (event.code, so any keyboard layout works); "/" focuses
// the search when the agent is not typing. The list is shown on the page (shortcutList).

import { h } from "../dom";
import { t } from "../i18n";

export type ShortcutAction = "answer" | "hangUp" | "mute" | "hold" | "togglePops" | "search";

export interface Shortcut {
  action: ShortcutAction;
  /** As shown and as aria-keyshortcuts spells it. */
  keys: string;
  code: string;
  label: string;
}

export const SHORTCUTS = (): readonly Shortcut[] => [
  { action: "answer", keys: "Alt+A", code: "KeyA", label: t("shortcuts.answer_the_ringing_call") },
  { action: "hangUp", keys: "Alt+H", code: "KeyH", label: t("shortcuts.hang_up_a_ringing_call") },
  { action: "mute", keys: "Alt+M", code: "KeyM", label: t("shortcuts.mute_unmute") },
  { action: "hold", keys: "Alt+O", code: "KeyO", label: t("shortcuts.hold_resume") },
  { action: "togglePops", keys: "Alt+C", code: "KeyC", label: t("shortcuts.collapse_expand_the_call_pops") },
  { action: "search", keys: "Alt+S", code: "KeyS", label: t("shortcuts.focus_the_contact_search_also") },
];

export interface KeyInput {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The action a key press means, or null. `typing`: the focus is in a text field. */
export function shortcutFor(ev: KeyInput, typing: boolean): ShortcutAction | null {
  if (ev.ctrlKey || ev.metaKey) return null;
  if (ev.altKey && !ev.shiftKey) return SHORTCUTS().find((s) => s.code === ev.code)?.action ?? null;
  if (!ev.altKey && ev.key === "/" && !typing) return "search";
  return null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset"].includes(target.type);
}

/** Listen on the page; returns the function that stops listening. */
export function installShortcuts(handlers: Record<ShortcutAction, () => void>): () => void {
  const listener = (ev: KeyboardEvent) => {
    const action = shortcutFor(ev, isTyping(ev.target));
    if (!action) return;
    ev.preventDefault();
    handlers[action]();
  };
  document.addEventListener("keydown", listener);
  return () => document.removeEventListener("keydown", listener);
}

/** The shortcuts as a list the agent can read (collapsible, under the search). */
export function shortcutList(): HTMLElement {
  return h(
    "details",
    { class: "shortcuts", "data-testid": "shortcuts" },
    h("summary", null, t("shortcuts.keyboard_shortcuts")),
    h(
      "dl",
      { class: "shortcut-list" },
      SHORTCUTS().flatMap((s) => [h("dt", null, h("kbd", null, s.keys)), h("dd", null, s.label)]),
    ),
  );
}
