// The live screen-pops: a stack of call panels over the agent screen, newest on top.
//
//   ringing  "Incoming call", the number, queue/DID, a waiting timer and the card (renderCard)
//            — or, for a number no card holds, a one-step "create a card" form;
//   talking  "On call with <name>" and a mm:ss timer, the card stays;
//   ended    the outcome (answered/missed/abandoned, talk time) and the wrap-up form: what came
//            of the call (a note on the card, tied to the call) and the next contact (a callback
//            or meeting task); saving or closing it dismisses the pop;
//   withdraw the panel shrinks to a short note ("Answered by 1002") and goes.
//
// Every pop collapses to a compact bar (caller, state, timer, Answer / Hang up when the browser
// phone has the call) and expands again: its toggle button, or Alt+C for all (toggleAll). The
// choice is kept for the tab (live/popView.ts). A collapsed pop only hides its body, so a
// wrap-up half typed stays as it was until it is saved or closed.
//
// Each pop keeps its element across updates; only a phase change rebuilds its body, and a form
// the agent is typing in is carried over, so a replayed snapshot never wipes what was typed.

import { ApiError, type Api } from "../api";
import { callbackApi } from "../callbacks/api";
import { autoDialField, checked } from "../callbacks/planForm";
import { callbacksChanged } from "../callbacks/types";
import { h, icon, mount, uid } from "../dom";
import { callLook, contactName, formatDuration, TASK_KIND_LABELS } from "../format";
import { ICONS } from "../icons";
import { callerLabel, clock, type Pop, type PopChange, routeLabel, secondsSince } from "../live/pops";
import { type PopMode, PopViewPrefs } from "../live/popView";
import type { Card, Contact, ContactPatch, DialTarget, TaskKind } from "../types";
import { agentLabel } from "../staff";
import { cardOfNew, renderCard } from "./card";
import { externalCard } from "./externalCard";
import { formAlert, formValue, showAlert, showFieldErrors, textareaField, textField } from "./form";
import { withBusy } from "./loading";
import { recordingSlot } from "../recordings/player";
import { type CodePicker, codePicker } from "./wrapupCode";
import { t } from "../i18n";

export interface PopStackOptions {
  api: Api;
  /** The hash of a contact's full card. */
  hrefForContact: (id: number) => string;
  /** The wrap-up was saved or closed: forget the pop (and tell the server). */
  onDismiss: (linkedid: string) => void;
  /** A card was created for the pop's unknown number. */
  onCardCreated: (linkedid: string, card: Card) => void;
  toast: (message: string) => void;
  /** Click-to-call on the pop's card. */
  onDial?: (phone: DialTarget) => boolean;
  /** What the browser phone can do for this pop's call now (the compact bar's buttons). */
  phoneActions?: (pop: Pop) => PopPhoneActions;
  /** Where the collapsed/expanded choice is kept (tests: a fresh one). */
  prefs?: PopViewPrefs;
  /** The call's live transcript panel (live/transcript.ts), once its first line came. */
  liveTranscript?: (linkedid: string) => HTMLElement | null;
}

export interface PopPhoneActions {
  answer?: () => void;
  hangUp?: () => void;
}

const COMPACT_STATE = (): Record<Pop["phase"], string> => ({ ringing: t("screenpop.ringing"), talking: t("screenpop.on_call"), ended: t("screenpop.wrap_up") });

interface PopView {
  element: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
  pop: Pop;
  /** The create-card form of an unknown number, kept while the call rings and talks. */
  createForm: HTMLFormElement | null;
  wrapUp: HTMLFormElement | null;
  codes: CodePicker | null;
  collapsed: boolean;
}

const WITHDRAW_NOTE_MS = 4000;

export class PopStack {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly views = new Map<string, PopView>();
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly prefs: PopViewPrefs;

  constructor(private readonly opts: PopStackOptions) {
    this.prefs = opts.prefs ?? new PopViewPrefs();
    this.list = h("div", { class: "pop-list" });
    this.announcer = h("div", { class: "visually-hidden", role: "status", "aria-live": "assertive" });
    this.element = h("section", { class: "pop-stack", "aria-label": t("screenpop.live_calls"), "data-testid": "pop-stack" }, this.announcer, this.list);
  }

  destroy(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.element.remove();
  }

  /** The caller of the newest ringing pop (for the blinking title), or null. */
  ringingName(): string | null {
    const ringing = Array.from(this.views.values()).filter((v) => v.pop.phase === "ringing");
    const last = ringing[ringing.length - 1];
    return last ? callerLabel(last.pop) : null;
  }

  /** Alt+C: collapse every pop, or expand them all when all are collapsed already. Expanding
   * moves the focus to the newest pop; collapsing leaves it where the agent works (unless it was
   * inside a pop, then it goes to that pop's toggle). */
  toggleAll(): void {
    const views = Array.from(this.views.values());
    if (!views.length) return;
    const collapse = views.some((v) => !v.collapsed);
    for (const view of views) this.setMode(view, collapse ? "collapsed" : "expanded");
    const toggle = collapse ? null : this.list.querySelector<HTMLElement>(".pop .pop-toggle");
    // Browsers do not count a shortcut's focus move as keyboard focus: show the ring anyway.
    toggle?.classList.add("kbd-focus");
    toggle?.focus();
  }

  /** The browser phone changed: the compact bars' Answer / Hang up follow it. */
  refreshPhone(): void {
    for (const view of this.views.values()) if (view.collapsed) this.renderHead(view);
  }

  apply(changes: PopChange[]): void {
    for (const change of changes) {
      if (change.kind === "show") this.show(change.pop, change.phaseChanged);
      else if (change.kind === "withdraw") this.withdraw(change.linkedid, change.reason);
      else this.remove(change.linkedid);
    }
    this.element.classList.toggle("has-pops", this.list.childElementCount > 0);
    this.syncTicker();
  }

  private show(pop: Pop, phaseChanged: boolean): void {
    let view = this.views.get(pop.linkedid);
    const isNew = !view;
    if (!view) {
      const head = h("header", { class: "pop-head" });
      const body = h("div", { class: "pop-body" });
      const element = h("article", { class: "pop", "data-linkedid": pop.linkedid, "data-testid": "pop" }, head, body);
      body.id = `pop-body-${cssId(pop.linkedid)}`;
      view = { element, head, body, pop, createForm: null, wrapUp: null, codes: null, collapsed: this.prefs.modeFor(pop.linkedid) === "collapsed" };
      this.views.set(pop.linkedid, view);
      this.list.prepend(element);
    }
    view.pop = pop;
    view.element.dataset.phase = pop.phase;
    this.applyMode(view);
    this.renderHead(view);
    if (isNew || phaseChanged) this.renderBody(view);
    if (pop.phase === "ringing" && isNew) {
      this.announcer.textContent = t("screenpop.incoming_call_from_value", { value: callerLabel(pop) });
    }
  }

  private setMode(view: PopView, mode: PopMode): void {
    const focusInside = view.body.contains(document.activeElement);
    view.collapsed = mode === "collapsed";
    this.prefs.set(view.pop.linkedid, mode);
    this.applyMode(view);
    this.renderHead(view);
    if (focusInside || view.head.contains(document.activeElement) || document.activeElement === document.body) {
      view.head.querySelector<HTMLElement>(".pop-toggle")?.focus();
    }
  }

  private applyMode(view: PopView): void {
    view.element.className = `pop pop-${view.pop.phase}${view.collapsed ? " pop-collapsed" : ""}`;
    view.element.dataset.collapsed = String(view.collapsed);
    view.body.hidden = view.collapsed;
  }

  private withdraw(linkedid: string, reason: string): void {
    const view = this.views.get(linkedid);
    if (!view) return;
    this.views.delete(linkedid);
    this.prefs.forget(linkedid);
    const note = h("div", { class: "pop pop-withdrawn", role: "status", "data-testid": "pop-note", "data-linkedid": linkedid }, icon(ICONS.check), h("span", null, reason));
    view.element.replaceWith(note);
    setTimeout(() => {
      note.classList.add("leaving");
      setTimeout(() => {
        note.remove();
        this.element.classList.toggle("has-pops", this.list.childElementCount > 0);
      }, 250);
    }, WITHDRAW_NOTE_MS);
  }

  private remove(linkedid: string): void {
    const view = this.views.get(linkedid);
    if (!view) return;
    this.views.delete(linkedid);
    this.prefs.forget(linkedid);
    view.element.remove();
  }

  // ---- head --------------------------------------------------------------

  private renderHead(view: PopView): void {
    const { pop } = view;
    const call = pop.call;
    const titleId = `pop-title-${cssId(pop.linkedid)}`;
    view.element.setAttribute("aria-labelledby", titleId);
    const route = routeLabel(call);
    const number = call.number || call.caller;
    const name = callerLabel(pop);
    const callerId = call.caller_name && call.caller_name !== name ? call.caller_name : "";
    let state: string;
    let stateIcon: string = ICONS.phoneIncoming;
    let timerSince: string | null = null;
    let timerText = "";
    if (pop.phase === "ringing") {
      state = call.direction === "outbound" ? t("screenpop.outgoing_call") : t("screenpop.incoming_call");
      timerSince = call.started_at;
    } else if (pop.phase === "talking") {
      state = t("screenpop.on_call_with_name", { name });
      stateIcon = ICONS.phone;
      timerSince = call.answered_at ?? call.started_at;
    } else {
      state = t("screenpop.call_ended_name", { name });
      stateIcon = ICONS[callLook({ direction: call.direction, disposition: call.disposition }).icon];
      timerText = call.talk_seconds ? clock(call.talk_seconds) : "";
    }
    const seconds = timerSince ? secondsSince(timerSince) : null;
    const timer = timerSince
      ? h("span", { class: "pop-timer mono", "data-since": timerSince, "data-testid": "pop-timer", title: pop.phase === "ringing" ? t("screenpop.ringing_for") : t("screenpop.talking_for") }, clock(seconds ?? 0))
      : timerText
        ? h("span", { class: "pop-timer mono", title: t("screenpop.talk_time") }, timerText)
        : null;
    const toggle = this.toggleButton(view, name);
    if (view.collapsed) {
      mount(
        view.head,
        h("span", { class: "pop-icon", "aria-hidden": "true" }, icon(stateIcon)),
        h(
          "div",
          { class: "pop-head-text" },
          h("h2", { class: "pop-state pop-compact-name", id: titleId, "data-testid": "pop-name" }, name),
          h(
            "p",
            { class: "pop-line" },
            h("span", { class: "pop-compact-state", "data-testid": "pop-compact-state" }, COMPACT_STATE()[pop.phase]),
            number && number !== name ? h("span", { class: "pop-number mono", "data-testid": "pop-number" }, number) : null,
          ),
        ),
        h("div", { class: "pop-aside" }, timer, this.phoneButtons(pop), toggle),
      );
      return;
    }
    mount(
      view.head,
      h("span", { class: "pop-icon", "aria-hidden": "true" }, icon(stateIcon)),
      h(
        "div",
        { class: "pop-head-text" },
        h("h2", { class: "pop-state", id: titleId }, state),
        h(
          "p",
          { class: "pop-line" },
          number ? h("span", { class: "pop-number mono", "data-testid": "pop-number" }, number) : null,
          callerId ? h("span", { class: "pop-callerid" }, callerId) : null,
        ),
        route ? h("p", { class: "pop-route" }, route) : null,
      ),
      h("div", { class: "pop-aside" }, h("div", { class: "pop-aside-row" }, timer, toggle), this.fullCardLink(pop.card)),
    );
  }

  private toggleButton(view: PopView, name: string): HTMLElement {
    const collapsed = view.collapsed;
    return h(
      "button",
      {
        type: "button",
        class: "pop-toggle",
        "aria-expanded": String(!collapsed),
        "aria-controls": view.body.id,
        "aria-keyshortcuts": "Alt+C",
        "aria-label": t("screenpop.value_the_call_with_name", { value: collapsed ? t("screenpop.expand") : t("screenpop.collapse"), name }),
        title: t("screenpop.value_alt_c", { value: collapsed ? t("screenpop.expand") : t("screenpop.collapse_to_a_bar") }),
        onclick: () => this.setMode(view, collapsed ? "expanded" : "collapsed"),
      },
      icon(collapsed ? ICONS.chevronDown : ICONS.chevronUp),
      h("span", { class: "pop-toggle-text" }, collapsed ? t("screenpop.expand") : t("screenpop.collapse")),
    );
  }

  /** The compact bar's Answer / Hang up: only when the browser phone has this call. */
  private phoneButtons(pop: Pop): HTMLElement | null {
    const actions = this.opts.phoneActions?.(pop) ?? {};
    const buttons = [
      actions.answer ? h("button", { type: "button", class: "btn btn-small phone-answer", "aria-keyshortcuts": "Alt+A", onclick: actions.answer }, icon(ICONS.phone), h("span", null, t("screenpop.answer"))) : null,
      actions.hangUp ? h("button", { type: "button", class: "btn btn-small phone-hangup", "aria-keyshortcuts": "Alt+H", onclick: actions.hangUp }, h("span", null, pop.phase === "ringing" ? t("screenpop.reject") : t("screenpop.hang_up"))) : null,
    ].filter((b): b is HTMLButtonElement => b !== null);
    return buttons.length ? h("div", { class: "pop-phone" }, buttons) : null;
  }

  // ---- body --------------------------------------------------------------

  /** The call's live transcript got its first frame: show it in the pop. */
  showLive(linkedid: string): void {
    const view = this.views.get(linkedid);
    if (view) this.attachLive(view);
  }

  private attachLive(view: PopView): void {
    const live = this.opts.liveTranscript?.(view.pop.linkedid);
    if (!live || view.body.contains(live)) return;
    if (view.pop.phase === "ended") view.body.firstElementChild?.after(live);
    else view.body.prepend(live);
  }

  private renderBody(view: PopView): void {
    this.renderBodyParts(view);
    this.attachLive(view);
  }

  private renderBodyParts(view: PopView): void {
    const { pop } = view;
    if (pop.phase === "ended") {
      const wrapUp = this.wrapUpForm(view);
      view.wrapUp = wrapUp;
      mount(view.body, this.outcome(pop), this.recording(pop), this.identity(pop), this.external(pop), wrapUp);
      return;
    }
    const local = pop.card && (pop.card.contact || pop.card.company) ? pop.card : null;
    if (pop.card?.external && !local) {
      // Known to the other CRM only: its card, and the form to make a local one.
      view.createForm ??= this.createCardForm(view);
      mount(view.body, this.external(pop), view.createForm);
      return;
    }
    if (pop.card) {
      view.createForm = null;
      const slot = h("div", { class: "pop-card" });
      // The card's history: not the call that is ringing now (the call log may have it already).
      const card: Card = { ...pop.card, last_calls: (pop.card.last_calls ?? []).filter((c) => c.linkedid !== pop.linkedid) };
      renderCard(slot, card, {
        headingLevel: 3,
        lastCalls: 3,
        lastNotes: 2,
        hrefFor: (ref) => (ref.kind === "contact" ? this.opts.hrefForContact(ref.id) : null),
        ...(this.opts.onDial ? { onDial: this.opts.onDial } : {}),
      });
      mount(view.body, this.external(pop), slot);
      return;
    }
    view.createForm ??= this.createCardForm(view);
    mount(view.body, view.createForm);
  }

  /** The other CRM's card, first in the pop when it answered in time. */
  private external(pop: Pop): HTMLElement | null {
    return pop.card?.external ? externalCard(pop.card.external) : null;
  }

  private fullCardLink(card: Card | null): HTMLElement | null {
    const contact = card?.contact;
    if (!contact) return null;
    return h("a", { class: "pop-open", href: this.opts.hrefForContact(contact.id) }, h("span", null, t("screenpop.open_full_card")), icon(ICONS.back, "icon flip"));
  }

  private identity(pop: Pop): HTMLElement | null {
    const contact = pop.card?.contact;
    if (!contact) {
      return h("p", { class: "pop-unknown" }, t("screenpop.unknown_number"), h("span", { class: "mono" }, pop.call.number || pop.call.caller), t("screenpop.no_card_yet"));
    }
    return h(
      "p",
      { class: "pop-identity" },
      h("a", { href: this.opts.hrefForContact(contact.id) }, contactName(contact)),
      contact.company ? h("span", null, ` · ${contact.company.name}`) : null,
    );
  }

  /** The call's recording in the wrap-up, once the call log has the call on the card. */
  private recording(pop: Pop): HTMLElement | null {
    const contactId = pop.card?.contact?.id;
    if (contactId === undefined) return null;
    return recordingSlot(pop.call, () => findCallId(this.opts.api, contactId, pop.linkedid, 8, 750));
  }

  private outcome(pop: Pop): HTMLElement {
    const call = pop.call;
    const look = callLook({ direction: call.direction, disposition: call.disposition ?? "answered" });
    const parts = [
      h("span", { class: `outcome tone-${look.tone}`, "data-testid": "pop-outcome" }, look.outcome),
      call.talk_seconds ? h("span", null, t("screenpop.talked_value", { value: formatDuration(call.talk_seconds) })) : null,
      !call.talk_seconds && call.wait_seconds ? h("span", null, t("screenpop.waited_value", { value: formatDuration(call.wait_seconds) })) : null,
      call.answered_by ? h("span", null, t("screenpop.answered_by_value", { value: agentLabel(call.answered_by) })) : null,
    ];
    return h("p", { class: "pop-outcome tl-meta" }, parts.filter(Boolean));
  }

  // ---- unknown number: create a card in one step -------------------------

  private createCardForm(view: PopView): HTMLFormElement {
    const number = view.pop.call.number || view.pop.call.caller;
    const alert = formAlert();
    const titleId = uid("unknown");
    const button = h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.plus), h("span", null, t("screenpop.create_card")));
    const form = h(
      "form",
      { class: "pop-create", novalidate: true, "aria-labelledby": titleId },
      h("h3", { id: titleId, class: "pop-unknown-title" }, t("screenpop.unknown_number"), h("span", { class: "mono" }, number)),
      h("p", { class: "hint" }, t("screenpop.no_card_has_this_number")),
      alert,
      h("div", { class: "field-grid" }, textField(t("screenpop.first_name"), "first_name", { maxlength: 100 }), textField(t("screenpop.last_name"), "last_name", { maxlength: 100 })),
      textField(t("screenpop.company"), "company", { maxlength: 200, hint: t("screenpop.optional_an_existing_company_is") }),
      h("div", { class: "form-actions" }, button),
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      showAlert(alert, null);
      try {
        const card = await withBusy(button, t("screenpop.creating"), async () => {
          const contact = await this.createContact(form, number);
          return (await this.opts.api.lookup(number)) ?? cardOfNew(contact, number);
        });
        this.opts.toast(t("screenpop.card_created_for_value", { value: contactName(card.contact ?? { first_name: "", last_name: "" }) }));
        this.opts.onCardCreated(view.pop.linkedid, card);
      } catch (err) {
        this.showError(form, alert, err);
      }
    });
    return form;
  }

  /**
   * The card for a number that had none when it rang: the lead card the finished call left
   * (lead policy), named from the form, or a new card when there is none.
   */
  private async cardForUnknown(pop: Pop, form: HTMLFormElement): Promise<Contact> {
    const api = this.opts.api;
    const number = pop.call.number || pop.call.caller;
    const lead = (await api.lookup(number))?.contact ?? null;
    let contact: Contact;
    if (lead) {
      const first = formValue(form, "first_name").trim();
      const last = formValue(form, "last_name").trim();
      const companyName = formValue(form, "company").trim();
      const patch: ContactPatch = {};
      if (first || last) Object.assign(patch, { first_name: first, last_name: last });
      if (companyName) patch.company_id = await this.companyId(companyName);
      contact = Object.keys(patch).length ? await api.updateContact(lead.id, patch) : lead;
    } else {
      contact = await this.createContact(form, number);
    }
    const card = (await api.lookup(number)) ?? cardOfNew(contact, number);
    this.opts.onCardCreated(pop.linkedid, card);
    return contact;
  }

  /** POST /api/contacts with the names from `form` (+ its company) and the caller's number. */
  private async createContact(form: HTMLFormElement, number: string): Promise<Contact> {
    const first = formValue(form, "first_name").trim();
    const last = formValue(form, "last_name").trim();
    if (!first && !last) {
      throw new ApiError(422, t("screenpop.please_correct_the_highlighted_fields"), { first_name: t("screenpop.enter_a_first_or_a") });
    }
    const companyName = formValue(form, "company").trim();
    const companyId = companyName ? await this.companyId(companyName) : null;
    return this.opts.api.createContact({
      first_name: first,
      last_name: last,
      company_id: companyId,
      phones: [{ number }],
    });
  }

  private async companyId(name: string): Promise<number> {
    const found = await this.opts.api.searchCompanies(name);
    const same = found.items.find((c) => c.name.trim().toLowerCase() === name.toLowerCase());
    return same ? same.id : (await this.opts.api.createCompany(name)).id;
  }

  private showError(form: HTMLFormElement, alert: HTMLElement, err: unknown): void {
    if (err instanceof ApiError) {
      const unplaced = showFieldErrors(form, err.fieldErrors, { number: "first_name", phones: "first_name", due_at: "due_date" });
      showAlert(alert, unplaced.length ? `${err.message} ${unplaced.join(" ")}` : err.message);
      if (err.status === 409 && err.conflict?.id != null) {
        alert.append(" ", h("a", { href: this.opts.hrefForContact(err.conflict.id), class: "alert-link" }, t("screenpop.open_name", { name: err.conflict.name })));
      }
    } else {
      showAlert(alert, err instanceof Error ? err.message : t("screenpop.something_went_wrong"));
    }
  }

  // ---- wrap-up -----------------------------------------------------------

  private wrapUpForm(view: PopView): HTMLFormElement {
    const pop = view.pop;
    const alert = formAlert();
    const needsCard = !pop.card?.contact;
    const name = callerLabel(pop);
    const kindId = uid("next-kind");
    const save = h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.check), h("span", null, t("screenpop.save_and_close")));
    const close = h("button", { type: "button", class: "btn btn-ghost" }, t("screenpop.close_without_saving"));
    const codes = codePicker(this.opts.api, pop.call.queue ?? "", pop.call.disposition === "answered");
    view.codes = codes;
    const form = h(
      "form",
      { class: "wrapup", novalidate: true, "aria-label": t("screenpop.wrap_up") },
      alert,
      needsCard
        ? h(
            "fieldset",
            { class: "wrapup-group" },
            h("legend", null, t("screenpop.name_the_card_for_this")),
            h("div", { class: "field-grid" }, textField(t("screenpop.first_name"), "first_name", { maxlength: 100 }), textField(t("screenpop.last_name"), "last_name", { maxlength: 100 })),
            textField(t("screenpop.company"), "company", { maxlength: 200, hint: t("screenpop.optional") }),
          )
        : null,
      codes.element,
      textareaField(t("screenpop.result_of_the_call"), "note", { rows: 3, placeholder: t("screenpop.what_was_agreed_what_to") }),
      h(
        "fieldset",
        { class: "wrapup-group" },
        h("legend", null, t("screenpop.next_contact"), h("span", { class: "hint" }, t("screenpop.optional_hint"))),
        h(
          "div",
          { class: "wrapup-next" },
          h(
            "div",
            { class: "field", "data-field": "kind" },
            h("label", { for: kindId }, t("screenpop.type")),
            h(
              "select",
              { id: kindId, name: "kind" },
              ["callback", "meeting"].map((k) => h("option", { value: k }, TASK_KIND_LABELS()[k] ?? k)),
            ),
          ),
          textField(t("screenpop.date"), "due_date", { type: "date" }),
          textField(t("screenpop.time"), "due_time", { type: "time", value: "09:00" }),
        ),
        textField(t("screenpop.subject"), "subject", { maxlength: 200, placeholder: t("screenpop.call_back_name", { name }) }),
        autoDialField(),
      ),
      h("div", { class: "form-actions" }, save, close),
    );
    close.addEventListener("click", () => {
      if (codes.required()) {
        this.showError(form, alert, codeMissing(pop));
        return;
      }
      this.opts.onDismiss(pop.linkedid);
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      showAlert(alert, null);
      showFieldErrors(form, {});
      try {
        const saved = await withBusy(save, t("screenpop.saving"), () => this.saveWrapUp(view, form));
        if (saved) this.opts.toast(saved);
        this.opts.onDismiss(pop.linkedid);
      } catch (err) {
        this.showError(form, alert, err);
      }
    });
    return form;
  }

  /** Save the note and the next-contact task; the toast text, or "" when there was nothing to save. */
  private async saveWrapUp(view: PopView, form: HTMLFormElement): Promise<string> {
    const api = this.opts.api;
    const pop = view.pop;
    const note = formValue(form, "note").trim();
    const date = formValue(form, "due_date");
    const time = formValue(form, "due_time") || "09:00";
    const kind = (formValue(form, "kind") || "callback") as TaskKind;
    const subjectTyped = formValue(form, "subject").trim();
    if (!date && subjectTyped) throw new ApiError(422, t("screenpop.please_correct_the_highlighted_fields"), { due_date: t("screenpop.pick_the_date_of_the") });
    const codes = view.codes;
    await codes?.ready;
    const code = formValue(form, "wrapup_code");
    if (!code && codes?.required()) throw codeMissing(pop);
    if (!note && !date && !code) return "";
    let due: Date | null = null;
    if (date) {
      due = new Date(`${date}T${time}`);
      if (Number.isNaN(due.getTime())) throw new ApiError(422, t("screenpop.please_correct_the_highlighted_fields"), { due_date: t("screenpop.this_is_not_a_valid") });
    }
    let contact = pop.card?.contact ?? null;
    if (!contact) contact = await this.cardForUnknown(pop, form);
    const callId = await findCallId(api, contact.id, pop.linkedid);
    const done: string[] = [];
    if (code) {
      if (callId === null) throw new ApiError(409, t("screenpop.the_call_is_not_in"), { wrapup_code: t("screenpop.not_saved_yet") });
      const closed = await api.closeWrapup(callId, { wrapup_code: code, note, contact_id: contact.id });
      done.push(t("screenpop.code_value", { value: codes?.label(code) ?? code }));
      if (closed.note) done.push("note");
      if (closed.callback) {
        done.push("call-back");
        callbacksChanged();
      }
    } else if (note) {
      await api.addNote(contact.id, note, callId);
      done.push("note");
    }
    if (due) {
      const label = kind === "meeting" ? t("screenpop.meeting_with_value", { value: contactName(contact) }) : t("screenpop.call_back_value", { value: contactName(contact) });
      const subject = subjectTyped || label;
      const callbacks = callbackApi();
      // A call-back is a scheduled one: notified at its time, dialled automatically if asked.
      if (kind === "callback" && callbacks) {
        await callbacks.plan({ contact_id: contact.id, subject, due_at: due.toISOString(), auto_dial: checked(form, "auto_dial"), call_id: callId });
        callbacksChanged();
      } else {
        await api.createTask({ kind, subject, due_at: due.toISOString(), contact_id: contact.id, call_id: callId });
      }
      done.push(kind === "meeting" ? "meeting" : "callback");
    }
    return t("screenpop.wrap_up_saved_value_on", { value: done.join(" and "), value2: contactName(contact) });
  }

  // ---- timers ------------------------------------------------------------

  private syncTicker(): void {
    const live = Array.from(this.views.values()).some((v) => v.pop.phase !== "ended");
    if (live && !this.ticker) {
      this.ticker = setInterval(() => this.tick(), 1000);
    } else if (!live && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private tick(): void {
    for (const el of this.list.querySelectorAll<HTMLElement>(".pop-timer[data-since]")) {
      el.textContent = clock(secondsSince(el.dataset.since) ?? 0);
    }
  }
}

/** The CRM's id of the call with this linkedid on the contact's card (the call log writes it when the call ends). */
export async function findCallId(api: Api, contactId: number, linkedid: string, tries = 4, waitMs = 600): Promise<number | null> {
  for (let i = 0; i < tries; i += 1) {
    try {
      const page = await api.calls({ contact_id: contactId, limit: 20 });
      const call = page.items.find((c) => c.linkedid === linkedid);
      if (call) return call.id;
    } catch {
      return null; // the note is still worth saving without the link
    }
    if (i < tries - 1) await new Promise((r) => setTimeout(r, waitMs));
  }
  return null;
}

/** The queue requires a wrap-up code and none was picked: the form stays open. */
function codeMissing(pop: Pop): ApiError {
  const queue = pop.call.queue ? t("screenpop.calls_of_queue_queue", { queue: pop.call.queue }) : t("screenpop.these_calls");
  return new ApiError(422, t("screenpop.pick_a_wrap_up_code", { queue }), { wrapup_code: t("screenpop.pick_a_wrap_up_code_2") });
}

function cssId(linkedid: string): string {
  return linkedid.replace(/[^A-Za-z0-9_-]/g, "_");
}
