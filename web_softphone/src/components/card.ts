// The client card: the reusable component of the agent screen.
//
//   renderCard(container, card, { timeline: api.timeline(id), onEdit, onAddNote })
//
// `card` has the shape of the screen-pop payload (GET /api/lookup): {contact, company,
// owner, last_calls, open_tasks, last_notes, other_matches}. The card page builds one from
// a contact with cardFromContact(); the lists it lacks are then taken from the timeline.
// The component only renders: actions are callbacks, so the live screen-pop overlay and
// the softphone (click-to-call through onDial) reuse it unchanged.

import { callbackApi } from "../callbacks/api";
import { planForm } from "../callbacks/planForm";
import type { Callback } from "../callbacks/types";
import { dueLabel } from "../callbacks/when";
import { h, icon, mount, uid } from "../dom";
import { cardName, formatFull, formatWhen, initials, ownerName, phoneDisplay, phoneKindLabel, statusLabel } from "../format";
import { ICONS } from "../icons";
import type { Call, Card, CardRef, CardView, Contact, DialTarget, Note, Phone, Task } from "../types";
import { formAlert, showAlert } from "./form";
import { loadingBlock, withBusy } from "./loading";
import { callIcon, callSummary, type Entry, normalizeTimeline, noteSummary, renderTimeline, taskSummary } from "./timeline";
import { t } from "../i18n";
import type { TranscriptOf } from "./transcript";

export interface CardOptions {
  /** The timeline (GET /api/contacts/{id}/timeline), or a promise of it: shown loading until it resolves. */
  timeline?: Entry[] | Promise<unknown>;
  /** Show the Edit button. */
  onEdit?: (card: CardView) => void;
  /** Show the "add a note" box; resolve when saved, reject with an Error to show its message. */
  onAddNote?: (text: string) => Promise<void>;
  /** Click-to-call (the browser phone): return true when it dialled; false lets the tel: link act. */
  onDial?: (phone: DialTarget) => boolean;
  /** Where a link to another card goes (other matches); without it they are plain text. */
  hrefFor?: (ref: CardRef) => string | null;
  /** How many last calls / notes to list in the side panels. */
  lastCalls?: number;
  lastNotes?: number;
  /** A call's transcript (GET /api/calls/{id}/transcript): each recorded call gets its disclosure. */
  transcriptOf?: TranscriptOf;
  /** Heading level for the card's name (2 on the page, 3 inside a pop-up). */
  headingLevel?: 2 | 3;
}

export interface CardHandle {
  element: HTMLElement;
  setTimeline(items: Entry[]): void;
}

/** The whole card of a contact just created, for when the lookup does not find it yet. */
export function cardOfNew(contact: Contact, phone: string): Card {
  return { phone, contact, company: null, owner: contact.owner, last_calls: [], open_tasks: [], last_notes: [], other_matches: [] };
}

/** The card of a contact as the card page shows it (lists come from the timeline). */
export function cardFromContact(contact: Contact): CardView {
  return { contact, company: contact.company, owner: contact.owner };
}

function panel(title: string, ...content: (Node | null)[]): HTMLElement {
  const id = uid("panel");
  return h("section", { class: "panel", "aria-labelledby": id }, h("h3", { id, class: "panel-title" }, title), ...content);
}

function phoneItem(phone: Phone, ringing: string | undefined, onDial?: (p: DialTarget) => boolean): HTMLLIElement {
  const shown = phoneDisplay(phone);
  const kind = phoneKindLabel(phone);
  const target = phone.e164 ?? phone.raw ?? "";
  // A tel: link either way; with onDial, a click dials through the browser phone when it can
  // (onDial returns true), else the link does what tel: links do on this computer.
  const number = onDial
    ? h(
        "a",
        {
          class: "mono dial-link",
          href: `tel:${target}`,
          title: t("card.call_shown", { shown }),
          onclick: (ev: Event) => {
            if (onDial(phone)) ev.preventDefault();
          },
        },
        shown,
      )
    : h("a", { class: "mono", href: `tel:${target}`, title: phone.e164 ?? "" }, shown);
  return h(
    "li",
    { class: "phone" },
    icon(ICONS.phone),
    number,
    kind ? h("span", { class: "tag" }, kind) : null,
    ringing && phone.e164 === ringing ? h("span", { class: "tag tone-accent" }, t("card.this_call")) : null,
    phone.e164 === null ? h("span", { class: "tag tone-warn", title: t("card.not_recognised_as_a_phone") }, t("card.unrecognised")) : null,
  );
}

function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge status-${status}` }, statusLabel(status));
}

function miniList<T>(items: T[], emptyText: string, row: (item: T) => HTMLElement): HTMLElement {
  if (!items.length) return h("p", { class: "empty" }, emptyText);
  return h("ul", { class: "mini-list" }, items.map((item) => h("li", null, row(item))));
}

function whenLine(iso: string | null | undefined): HTMLElement | null {
  if (!iso) return null;
  return h("p", { class: "tl-when" }, h("time", { datetime: iso, title: formatFull(iso) }, formatWhen(iso)));
}

function noteComposer(onAddNote: (text: string) => Promise<void>): HTMLFormElement {
  const id = uid("note");
  const alert = formAlert();
  const textarea = h("textarea", { id, name: "body", rows: 2, placeholder: t("card.what_was_agreed_what_to") });
  const button = h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.plus), h("span", null, t("card.add_note")));
  const form = h(
    "form",
    { class: "composer", novalidate: true },
    h("label", { for: id, class: "composer-label" }, t("card.add_a_note")),
    alert,
    textarea,
    h("div", { class: "composer-actions" }, button),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = textarea.value.trim();
    if (!text) {
      showAlert(alert, t("card.please_write_the_note_first"));
      textarea.focus();
      return;
    }
    showAlert(alert, null);
    try {
      await withBusy(button, t("card.saving"), () => onAddNote(text));
      textarea.value = "";
    } catch (err) {
      showAlert(alert, err instanceof Error ? err.message : t("card.the_note_could_not_be"));
    }
  });
  textarea.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) form.requestSubmit();
  });
  return form;
}

export function renderCard(container: HTMLElement, card: CardView, opts: CardOptions = {}): CardHandle {
  const contact = card.contact;
  const company = card.company;
  const name = cardName(card);
  const titleId = uid("card-title");
  const lastCallsN = opts.lastCalls ?? 5;
  const onDial = opts.onDial;
  const dialBack = onDial ? (number: string) => void onDial({ e164: number, raw: number }) : undefined;
  const lastNotesN = opts.lastNotes ?? 5;
  const phones: Phone[] = contact ? contact.phones : ((company && "phones" in company ? company.phones : undefined) ?? []);
  const firstNumber = phones.find((p) => p.e164)?.e164;
  const callTask = dialBack && firstNumber ? () => dialBack(firstNumber) : undefined;
  const owner = ownerName(card.owner ?? contact?.owner ?? null);
  // Calls show the caller's number as this card spells it, with its kind: "+421 900 123 456 (Mobile)".
  const display = (e164: string): string => {
    const known = phones.find((p) => p.e164 === e164);
    if (!known) return e164;
    const kind = phoneKindLabel(known);
    return kind ? `${phoneDisplay(known)} (${kind})` : phoneDisplay(known);
  };

  const sub = contact
    ? [
        contact.position ? h("span", { class: "position" }, contact.position) : null,
        contact.position && company ? h("span", { class: "sep", "aria-hidden": "true" }, "·") : null,
        company ? h("span", { class: "company" }, icon(ICONS.company), company.name) : null,
      ]
    : [h("span", { class: "company" }, icon(ICONS.company), t("card.company"))];

  const others = card.other_matches ?? [];
  // "Create call": plan a call-back to this contact (scheduled call-backs, callbacks/planForm.ts).
  const planSlot = contact && callbackApi() ? h("div", { class: "plan-slot", hidden: true }) : null;
  const planButton = planSlot && contact ? h("button", { type: "button", class: "btn", "aria-expanded": "false" }, icon(ICONS.clock), h("span", null, t("card.create_call"))) : null;
  planButton?.addEventListener("click", () => {
    if (!planSlot || !contact) return;
    const close = () => {
      planSlot.hidden = true;
      planButton.setAttribute("aria-expanded", "false");
    };
    const saved = (cb: Callback) => {
      close();
      planSlot.hidden = false;
      mount(planSlot, h("p", { class: "form-alert success", role: "status" }, t("card.call_back_planned_value_subject", { value: dueLabel(cb.due_at), subject: cb.subject })));
    };
    planSlot.hidden = false;
    planButton.setAttribute("aria-expanded", "true");
    mount(planSlot, planForm({ contactId: contact.id, name, onSaved: saved, onCancel: close }));
    planSlot.querySelector<HTMLInputElement>("input[name=due_date]")?.focus();
  });
  const head = h(
    "header",
    { class: "card-head" },
    h("div", { class: "avatar", "aria-hidden": "true" }, initials(name)),
    h(
      "div",
      { class: "card-ident" },
      h(opts.headingLevel === 3 ? "h3" : "h2", { id: titleId, class: "card-name" }, name),
      h("p", { class: "card-sub" }, sub),
      h(
        "dl",
        { class: "facts" },
        contact ? h("div", null, h("dt", null, t("card.status")), h("dd", { "data-field": "status" }, statusBadge(contact.status))) : null,
        h("div", null, h("dt", null, t("card.owner")), h("dd", { "data-field": "owner" }, owner || t("card.unassigned"))),
        contact?.assignment_reason ? h("div", { class: "facts-wide" }, h("dt", null, t("card.why_this_owner")), h("dd", { "data-field": "assignment" }, contact.assignment_reason)) : null,
        contact?.source ? h("div", null, h("dt", null, t("card.source")), h("dd", null, contact.source)) : null,
        contact?.updated_at
          ? h("div", null, h("dt", null, t("card.updated")), h("dd", null, h("time", { datetime: contact.updated_at, title: formatFull(contact.updated_at) }, formatWhen(contact.updated_at))))
          : null,
      ),
      others.length
        ? h(
            "p",
            { class: "other-matches" },
            t("card.same_number_also_on"),
            others.map((ref, i) => {
              const href = opts.hrefFor?.(ref) ?? null;
              return [i ? ", " : "", href ? h("a", { href }, ref.name) : ref.name];
            }),
          )
        : null,
    ),
    opts.onEdit || planSlot
      ? h(
          "div",
          { class: "card-actions" },
          planButton,
          opts.onEdit ? h("button", { type: "button", class: "btn", onclick: () => opts.onEdit?.(card) }, icon(ICONS.edit), h("span", null, t("card.edit"))) : null,
        )
      : null,
  );

  const contactPanel = panel(
    t("card.contact"),
    phones.length
      ? h("ul", { class: "phones", "aria-label": t("card.phone_numbers") }, phones.map((p) => phoneItem(p, card.phone, opts.onDial)))
      : h("p", { class: "empty" }, t("card.no_phone_number")),
    contact
      ? contact.email
        ? h("p", { class: "email" }, icon(ICONS.mail), h("a", { href: `mailto:${contact.email}` }, contact.email))
        : h("p", { class: "empty" }, t("card.no_email"))
      : null,
  );

  const tasksSlot = h("div");
  const callsSlot = h("div");
  const notesSlot = h("div");
  const timelineSlot = h("div", { class: "timeline-slot" });
  const tasksPanel = panel(t("card.open_tasks"), tasksSlot);
  const callsPanel = panel(t("card.last_calls"), callsSlot);
  const notesPanel = panel(t("card.notes"), notesSlot);

  const timelineId = uid("tl");
  const activity = h(
    "section",
    { class: "panel activity", "aria-labelledby": timelineId },
    h("h3", { id: timelineId, class: "panel-title" }, t("card.timeline")),
    opts.onAddNote ? noteComposer(opts.onAddNote) : null,
    timelineSlot,
  );

  const element = h(
    "article",
    { class: "card", "aria-labelledby": titleId, "data-contact-id": contact ? String(contact.id) : null },
    head,
    planSlot,
    h(
      "div",
      { class: "card-body" },
      h("div", { class: "card-side" }, contactPanel, tasksPanel, callsPanel, contact ? notesPanel : null),
      opts.timeline !== undefined ? h("div", { class: "card-main" }, activity) : null,
    ),
  );
  if (opts.timeline === undefined) element.classList.add("no-timeline");

  const setCount = (p: HTMLElement, n: number | null) => {
    const title = p.querySelector(".panel-title")!;
    title.querySelector(".count")?.remove();
    if (n !== null) title.append(h("span", { class: "count" }, String(n)));
  };

  /** Fill the side panels from the card's lists, or from the timeline when the card has none. */
  const fillSides = (timeline: Entry[] | null) => {
    const tasks: Task[] | null = card.open_tasks ?? (timeline ? timeline.flatMap((it) => (it.kind === "task" && !it.task.done_at ? [it.task] : [])) : null);
    const calls: Call[] | null = card.last_calls ?? (timeline ? timeline.flatMap((it) => (it.kind === "call" ? [it.call] : [])) : null);
    const notes: Note[] | null = card.last_notes ?? (timeline ? timeline.flatMap((it) => (it.kind === "note" ? [it.note] : [])) : null);

    setCount(tasksPanel, tasks ? tasks.length : null);
    mount(tasksSlot, tasks ? miniList(tasks, t("card.no_open_tasks"), (t) => taskSummary(t, new Date(), callTask)) : loadingBlock());
    mount(
      callsSlot,
      calls
        ? miniList(calls.slice(0, lastCallsN), t("card.no_calls_yet"), (c) => h("div", { class: "mini-row" }, callIcon(c), h("div", { class: "mini-main" }, whenLine(c.started_at), callSummary(c, display, dialBack))))
        : loadingBlock(),
    );
    mount(notesSlot, notes ? miniList(notes.slice(0, lastNotesN), t("card.no_notes_yet"), (n) => h("div", null, whenLine(n.created_at), noteSummary(n))) : loadingBlock());
  };

  const setTimeline = (items: Entry[]) => {
    fillSides(items);
    mount(timelineSlot, renderTimeline(items, display, dialBack, opts.transcriptOf));
  };

  if (Array.isArray(opts.timeline)) {
    setTimeline(opts.timeline);
  } else if (opts.timeline) {
    fillSides(null);
    mount(timelineSlot, loadingBlock(t("card.loading_the_timeline")));
    opts.timeline.then(
      (raw) => setTimeline(normalizeTimeline(raw)),
      (err: unknown) => {
        const alert = formAlert();
        showAlert(alert, t("card.the_timeline_could_not_be", { value: err instanceof Error ? err.message : "" }).trim());
        mount(timelineSlot, alert);
        fillSides([]);
      },
    );
  } else {
    fillSides([]);
  }

  mount(container, element);
  return { element, setTimeline };
}
