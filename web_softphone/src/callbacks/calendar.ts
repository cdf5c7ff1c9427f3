// The week view: seven day columns, hour rows FIRST_HOUR..LAST_HOUR, each call-back in its slot
// (earlier or later ones in the first or last row). Overdue and done ones are marked.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import type { Callback } from "./types";
import { addDays, dayLabel, FIRST_HOUR, LAST_HOUR, slotOf, timeLabel } from "./when";
import { t } from "../i18n";

export interface WeekOptions {
  onDial: (callback: Callback, button: HTMLButtonElement) => void;
  onWeek: (start: Date) => void;
}

function entry(cb: Callback, opts: WeekOptions): HTMLElement {
  const state = cb.done_at ? "done" : cb.overdue ? "overdue" : "planned";
  const dial = h("button", { type: "button", class: "cal-dial", disabled: !cb.phone || !!cb.done_at, title: t("calendar.call_contact_name", { contact_name: cb.contact_name }), "aria-label": t("calendar.call_value", { value: cb.contact_name || cb.phone || "" }).trim() }, icon(ICONS.phone));
  dial.addEventListener("click", () => opts.onDial(cb, dial));
  return h(
    "div",
    { class: `cal-entry ${state}`, "data-testid": "calendar-entry", "data-callback-id": String(cb.id), "data-state": state, title: `${cb.contact_name} — ${cb.subject}` },
    h("span", { class: "cal-time" }, timeLabel(cb.due_at)),
    h("span", { class: "cal-text" }, h("strong", null, cb.contact_name || cb.phone || "—"), " ", cb.subject),
    dial,
  );
}

export function weekView(start: Date, items: Callback[], opts: WeekOptions, today: Date = new Date()): HTMLElement {
  const cells = new Map<string, Callback[]>();
  for (const cb of items) {
    const slot = slotOf(cb.due_at, start);
    if (!slot) continue;
    const key = `${slot.day}:${slot.hour}`;
    cells.set(key, [...(cells.get(key) ?? []), cb]);
  }
  const days = Array.from({ length: 7 }, (_, day) => addDays(start, day));
  const todayKey = today.toDateString();
  const head = h("div", { class: "cal-row cal-head", role: "row" }, h("div", { class: "cal-hour", role: "columnheader" }, h("span", { class: "visually-hidden" }, t("calendar.hour"))), days.map((d) => h("div", { class: `cal-day${d.toDateString() === todayKey ? " today" : ""}`, role: "columnheader" }, dayLabel(d))));
  const rows = [];
  for (let hour = FIRST_HOUR; hour <= LAST_HOUR; hour += 1) {
    rows.push(
      h(
        "div",
        { class: "cal-row", role: "row" },
        h("div", { class: "cal-hour", role: "rowheader" }, `${String(hour).padStart(2, "0")}:00`),
        days.map((d, day) => h("div", { class: `cal-cell${d.toDateString() === todayKey ? " today" : ""}`, role: "cell", "data-slot": `${day}:${hour}` }, (cells.get(`${day}:${hour}`) ?? []).map((cb) => entry(cb, opts)))),
      ),
    );
  }
  const nav = (label: string, target: Date) => h("button", { type: "button", class: "btn btn-small", onclick: () => opts.onWeek(target) }, label);
  const last = addDays(start, 6);
  return h(
    "section",
    { class: "calendar", "aria-label": t("calendar.call_backs_this_week"), "data-week": start.toISOString() },
    h("div", { class: "cal-toolbar" }, nav(t("calendar.previous"), addDays(start, -7)), nav(t("calendar.this_week"), today), nav(t("calendar.next"), addDays(start, 7)), h("h3", { class: "cal-title" }, `${dayLabel(start)} – ${dayLabel(last)}`)),
    h("div", { class: "cal-grid", role: "table", "aria-label": t("calendar.week_of_value", { value: dayLabel(start) }) }, head, rows),
  );
}
