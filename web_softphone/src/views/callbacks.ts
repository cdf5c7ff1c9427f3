// #/callbacks: the agent's open call-backs (overdue ones highlighted) and the week calendar.
// Reloads when call-backs change (planned on a card, done, notified as due).

import { h } from "../dom";
import { callbackApi, dialCallback } from "../callbacks/api";
import { weekView } from "../callbacks/calendar";
import { callbackList } from "../callbacks/list";
import { CALLBACKS_CHANGED, callbacksChanged, type Callback } from "../callbacks/types";
import { addDays, weekStart } from "../callbacks/when";
import { loadingBlock } from "../components/loading";
import { t } from "../i18n";

export interface CallbacksPage {
  destroy(): void;
}

export function renderCallbacksPage(root: HTMLElement, hrefForContact: (id: number) => string, toast: (message: string) => void): CallbacksPage {
  let week = weekStart(new Date());
  const listSlot = h("div", { class: "cb-list-slot" }, loadingBlock(t("callbacks.loading_call_backs")));
  const calendarSlot = h("div", { class: "cb-calendar-slot" }, loadingBlock(t("callbacks.loading_the_week")));
  root.replaceChildren(
    h(
      "div",
      { class: "callbacks-page" },
      h("section", { class: "panel cb-panel", "aria-labelledby": "cb-list-title" }, h("h2", { id: "cb-list-title", class: "panel-title" }, t("callbacks.my_call_backs")), listSlot),
      h("section", { class: "panel cb-panel", "aria-labelledby": "cb-cal-title" }, h("h2", { id: "cb-cal-title", class: "panel-title" }, t("callbacks.calendar")), calendarSlot),
    ),
  );

  const onDial = async (cb: Callback, button: HTMLButtonElement) => {
    button.disabled = true;
    const result = await dialCallback(cb);
    button.disabled = false;
    toast(result.message);
  };
  const onDone = async (cb: Callback, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await callbackApi()?.done(cb.id);
      toast(t("callbacks.call_back_done_subject", { subject: cb.subject }));
      callbacksChanged();
    } catch (err) {
      button.disabled = false;
      toast(err instanceof Error ? err.message : t("callbacks.could_not_mark_it_done"));
    }
  };

  const load = async () => {
    const api = callbackApi();
    if (!api) return;
    try {
      const [open, inWeek] = await Promise.all([api.open(), api.between(week, addDays(week, 7))]);
      listSlot.replaceChildren(callbackList(open, { hrefForContact, onDial, onDone }));
      calendarSlot.replaceChildren(
        weekView(week, inWeek, {
          onDial,
          onWeek: (target) => {
            week = weekStart(target);
            void load();
          },
        }),
      );
    } catch (err) {
      listSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, err instanceof Error ? err.message : t("callbacks.could_not_load_call_backs")));
    }
  };
  const reload = () => void load();
  window.addEventListener(CALLBACKS_CHANGED, reload);
  // Overdue marks follow the clock, not only changes.
  const timer = setInterval(reload, 60_000);
  void load();
  return {
    destroy() {
      window.removeEventListener(CALLBACKS_CHANGED, reload);
      clearInterval(timer);
    },
  };
}
