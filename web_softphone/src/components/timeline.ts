// The contact's timeline: calls, tasks and notes, newest first.
// Each call shows an icon AND words for its direction and outcome (never colour alone).

import { agentLabel } from "../staff";
import { h, icon } from "../dom";
import { callLook, callSeconds, formatDuration, formatFull, formatWhen, TASK_KIND_LABELS } from "../format";
import { ICONS } from "../icons";
import type { Call, Note, Task, Voicemail } from "../types";
import { t } from "../i18n";
import { recordingSlot } from "../recordings/player";
import { voicemailSummary } from "../recordings/voicemail";
import { transcriptDisclosure, type TranscriptOf } from "./transcript";

function rec(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A timeline item whose payload is certain to be there. */
export type Entry =
  | { kind: "call"; at: string; call: Call }
  | { kind: "task"; at: string; task: Task }
  | { kind: "note"; at: string; note: Note }
  | { kind: "voicemail"; at: string; voicemail: Voicemail };

/**
 * Accepts the server's {kind, at, call|task|note: {...}} and also a flat {kind|type, ...fields}
 * item; returns the nested form. Unknown kinds and empty payloads are dropped.
 */
export function normalizeTimelineItem(raw: unknown): Entry | null {
  const r = rec(raw);
  if (!r) return null;
  const kind = String(r.kind ?? r.type ?? "");
  const nested = rec(r[kind]) ?? rec(r.data) ?? r;
  const at = String(r.at ?? nested.started_at ?? nested.created_at ?? "");
  switch (kind) {
    case "call":
      return { kind, at, call: nested as unknown as Call };
    case "task":
      return { kind, at, task: nested as unknown as Task };
    case "note":
      return { kind, at, note: nested as unknown as Note };
    case "voicemail":
      return { kind, at: String(r.at ?? nested.received_at ?? ""), voicemail: nested as unknown as Voicemail };
    default:
      return null;
  }
}

export function normalizeTimeline(raw: unknown): Entry[] {
  const list = Array.isArray(raw) ? raw : Array.isArray(rec(raw)?.items) ? (rec(raw)!.items as unknown[]) : [];
  return list.map(normalizeTimelineItem).filter((x): x is Entry => x !== null);
}

function timeEl(iso: string | null | undefined): HTMLElement | null {
  if (!iso) return null;
  return h("time", { datetime: iso, title: formatFull(iso) }, formatWhen(iso));
}

/** Shows an E.164 number the way the card spells it (see renderCard); identity by default. */
export type NumberDisplay = (e164: string) => string;

/** Click-to-call from the history: dial the other party of a past call. */
export type Dialer = (number: string) => void;

export function callSummary(call: Call, display: NumberDisplay = (n) => n, dial?: Dialer, transcriptOf?: TranscriptOf): HTMLElement {
  const look = callLook(call);
  const secs = callSeconds(call);
  const target = call.external_e164 ?? "";
  const number = target ? display(target) : (call.direction === "outbound" ? call.callee : call.caller) || "";
  const agent = call.answered_by ? agentLabel(call.answered_by) : "";
  return h(
    "div",
    { class: "tl-body" },
    h(
      "p",
      { class: "tl-title" },
      h("span", null, t("timeline.direction_call", { direction: look.direction })),
      " ",
      h("span", { class: `outcome tone-${look.tone}` }, look.outcome),
      call.wrapup_code ? " " : null,
      call.wrapup_code ? h("span", { class: "tag tone-accent wrapup-tag", "data-testid": "wrapup-tag", title: t("timeline.wrap_up_code_wrapup_code", { wrapup_code: call.wrapup_code }) }, call.wrapup_label || call.wrapup_code) : null,
    ),
    h(
      "p",
      { class: "tl-meta" },
      [
        number ? numberOf(number, target, dial) : null,
        secs !== null && secs > 0 ? h("span", null, t("timeline.talked_value", { value: formatDuration(secs) })) : null,
        agent ? h("span", null, t("timeline.answered_by_agent", { agent })) : null,
        call.queue ? h("span", null, t("timeline.queue_queue", { queue: call.queue })) : null,
        call.reconstructed ? h("span", { class: "tag reconstructed", title: call.note || "" }, t("timeline.rebuilt_after_a_gap")) : null,
      ].filter(Boolean),
    ),
    recordingSlot(call, async () => call.id),
    transcriptOf && call.recording ? transcriptDisclosure(call.id, transcriptOf) : null,
  );
}

function numberOf(shown: string, target: string, dial?: Dialer): HTMLElement {
  if (!dial || !target) return h("span", { class: "mono" }, shown);
  return h("button", { type: "button", class: "mono dial-link link-button", title: t("timeline.call_shown_back", { shown }), onclick: () => dial(target) }, shown);
}

export function callIcon(call: Call): HTMLElement {
  const look = callLook(call);
  return h("span", { class: `tl-icon tone-${look.tone}` }, icon(ICONS[look.icon]));
}

/** `call`: one-click dialling of an open task's client (on a card that has a number). */
export function taskSummary(task: Task, now = new Date(), call?: () => void): HTMLElement {
  const done = Boolean(task.done_at);
  const overdue = !done && task.due_at ? new Date(task.due_at).getTime() < now.getTime() : false;
  return h(
    "div",
    { class: "tl-body" },
    h(
      "p",
      { class: "tl-title" },
      h("span", { class: "tag" }, TASK_KIND_LABELS()[task.kind] ?? task.kind),
      " ",
      h("span", { class: done ? "done-text" : "" }, task.subject),
    ),
    h(
      "p",
      { class: "tl-meta" },
      done
        ? h("span", { class: "outcome tone-ok" }, t("timeline.task_done"))
        : overdue
          ? h("span", { class: "outcome tone-bad" }, t("timeline.task_overdue"))
          : h("span", { class: "outcome tone-neutral" }, t("timeline.task_open")),
      task.due_at ? h("span", null, t("timeline.due"), " ", timeEl(task.due_at)) : null,
      done && task.result ? h("span", null, task.result) : null,
      !done && call ? h("button", { type: "button", class: "link-button", onclick: call }, icon(ICONS.phone), t("timeline.call")) : null,
    ),
  );
}

export function noteSummary(note: Note): HTMLElement {
  return h("div", { class: "tl-body" }, h("p", { class: "note-text" }, note.body));
}

const KIND_WORD = (): Record<Entry["kind"], string> => ({ call: t("timeline.call_2"), task: t("timeline.task"), note: t("timeline.note"), voicemail: t("voicemail.kind") });

function timelineEntry(item: Entry, display: NumberDisplay, dial?: Dialer, transcriptOf?: TranscriptOf): HTMLLIElement {
  let iconEl: HTMLElement;
  let body: HTMLElement;
  if (item.kind === "call") {
    iconEl = callIcon(item.call);
    body = callSummary(item.call, display, dial, transcriptOf);
  } else if (item.kind === "task") {
    iconEl = h("span", { class: `tl-icon ${item.task.done_at ? "tone-ok" : "tone-task"}` }, icon(ICONS.task));
    body = taskSummary(item.task);
  } else if (item.kind === "voicemail") {
    iconEl = h("span", { class: `tl-icon ${item.voicemail.heard ? "tone-neutral" : "tone-warn"}` }, icon(ICONS.voicemail));
    body = voicemailSummary(item.voicemail, display);
  } else {
    iconEl = h("span", { class: "tl-icon tone-note" }, icon(ICONS.note));
    body = noteSummary(item.note);
  }
  return h(
    "li",
    { class: `tl-item tl-${item.kind}`, "data-kind": item.kind },
    iconEl,
    h("div", { class: "tl-content" }, h("p", { class: "tl-when" }, h("span", { class: "visually-hidden" }, `${KIND_WORD()[item.kind]}, `), timeEl(item.at)), body),
  );
}

export type TimelineFilter = "all" | Entry["kind"];

/** Render the timeline list with filter buttons (All / Calls / Tasks / Notes). */
export function renderTimeline(items: Entry[], display: NumberDisplay = (n) => n, dial?: Dialer, transcriptOf?: TranscriptOf): HTMLElement {
  const list = h("ol", { class: "timeline", "aria-label": t("timeline.timeline_newest_first") });
  const empty = h("p", { class: "empty" }, t("timeline.nothing_here_yet"));
  let filter: TimelineFilter = "all";
  const counts = { call: 0, task: 0, note: 0, voicemail: 0 };
  for (const it of items) counts[it.kind] += 1;

  const draw = () => {
    const shown = filter === "all" ? items : items.filter((it) => it.kind === filter);
    list.replaceChildren(...shown.map((it) => timelineEntry(it, display, dial, transcriptOf)));
    empty.hidden = shown.length > 0;
    list.hidden = shown.length === 0;
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.filter === filter));
  };

  const filters: [TimelineFilter, string][] = [
    ["all", t("timeline.all_length", { length: items.length })],
    ["call", t("timeline.calls_call", { call: counts.call })],
    ["task", t("timeline.tasks_task", { task: counts.task })],
    ["note", t("timeline.notes_note", { note: counts.note })],
    ...(counts.voicemail ? ([["voicemail", t("voicemail.filter", { count: counts.voicemail })]] as [TimelineFilter, string][]) : []),
  ];
  const buttons = filters.map(([value, label]) =>
    h(
      "button",
      {
        type: "button",
        class: "chip",
        "data-filter": value,
        "aria-pressed": "false",
        onclick: () => {
          filter = value;
          draw();
        },
      },
      label,
    ),
  );
  const wrap = h("div", { class: "timeline-wrap" }, h("div", { class: "chips", role: "group", "aria-label": t("timeline.show") }, buttons), list, empty);
  draw();
  return wrap;
}
