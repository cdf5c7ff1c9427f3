// The agent screen: session handling, routing and wiring of the views.
// Live screen-pops (/ws/agent) run in every signed-in page: see live/controller.ts.
// The browser phone (JsSIP over Asterisk's SIP WebSocket, phone/softphone.ts) starts after sign-in
// too: its chip in shell.phoneSlot, its dock above the pops; card numbers dial through it.

import type { Api } from "./api";
import { ApiError } from "./api";
import { dialCallback } from "./callbacks/api";
import { cardFromContact, renderCard } from "./components/card";
import { cardSkeleton, loadingBlock } from "./components/loading";
import { h, icon, mount } from "./dom";
import { contactName } from "./format";
import { ICONS } from "./icons";
import { installShortcuts, shortcutList } from "./agent/shortcuts";
import { LiveController } from "./live/controller";
import type { Pop } from "./live/pops";
import { activeCall, ringingCall } from "./phone/current";
import { SoftPhone } from "./phone/softphone";
import { PhoneWidget } from "./phone/widget";
import { parseRoute, routeHash, type Route } from "./router";
import type { Contact, DialTarget, User } from "./types";
import { renderContactEdit } from "./views/contactEdit";
import { renderLogin } from "./views/login";
import { createSearchView, type SearchView } from "./views/search";
import { renderShell, type Shell } from "./views/shell";
import { renderStaffPage } from "./views/staff";
import { RecordingsApi } from "./recordings/api";
import { configureRecordings } from "./recordings/player";
import { setStaff } from "./staff";
import type { PopPhoneActions } from "./components/screenpop";
import { language, languages, rememberChoice, t, useLanguage } from "./i18n";

const BUSY_DELAY_MS = 150;
const APP_TITLE = "CTI Bridge"; // i18n-ignore: the product's name

export class App {
  private shell: Shell | null = null;
  private search: SearchView | null = null;
  private user: User | null = null;
  private live: LiveController | null = null;
  private phone: SoftPhone | null = null;
  private phoneWidget: PhoneWidget | null = null;
  /** Incremented on each navigation; stale async results compare against it. */
  private generation = 0;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  /** The staff names directory, read once per sign-in (cards name agents by it). */
  private staffReady: Promise<void> = Promise.resolve();
  private stopShortcuts: (() => void) | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: Api,
  ) {
    api.onUnauthorized(() => this.showLogin(t("app.your_session_has_expired_please")));
    api.onBusy((n) => this.onBusy(n));
    window.addEventListener("hashchange", () => void this.render());
  }

  async start(): Promise<void> {
    if (!this.api.token) {
      this.showLogin();
      return;
    }
    mount(this.root, h("div", { class: "boot" }, loadingBlock(t("app.opening_the_agent_screen"))));
    try {
      this.user = await this.api.me();
      useLanguage(this.user.language);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return; // onUnauthorized showed the login
      // Server unreachable: keep the session, show the cached user so the agent sees the error in context.
      this.user = this.api.user;
      if (!this.user) {
        this.showLogin(err instanceof Error ? err.message : undefined);
        return;
      }
    }
    this.enter();
  }

  private showLogin(notice?: string): void {
    this.stopShortcuts?.();
    this.stopShortcuts = null;
    this.live?.stop();
    this.live = null;
    this.stopPhone();
    this.shell = null;
    this.search = null;
    this.user = null;
    document.title = t("app.sign_in_app_title", { app: APP_TITLE });
    renderLogin(this.root, this.api, (user) => {
      this.user = user;
      useLanguage(user.language);
      this.enter();
    }, notice);
  }

  private enter(): void {
    const user = this.user!;
    this.shell = renderShell(this.root, user, () => this.logout(), (tag) => void this.changeLanguage(tag));
    this.search = createSearchView(this.api, (id, q) => routeHash({ name: "card", id, q }));
    mount(this.shell.searchPane, this.search.element, shortcutList());
    this.staffReady = this.api.staffDirectory().then(setStaff, () => undefined);
    configureRecordings({ recordings: new RecordingsApi(this.api), staff: user.role !== "agent" });
    this.startLive(user);
    this.startPhone();
    this.startShortcuts();
    void this.render();
    const route = parseRoute(window.location.hash);
    if (route.name === "search") this.search.focus();
  }

  private startLive(user: User): void {
    this.live?.stop();
    const shell = this.shell!;
    this.live = new LiveController({
      api: this.api,
      user,
      popSlot: shell.popSlot,
      statusSlot: shell.liveSlot,
      hrefForContact: (id) => routeHash({ name: "card", id, q: "" }),
      toast: (message) => shell.toast(message),
      onDial: (phone) => this.dial(phone),
      phoneActions: (pop) => this.phoneActions(pop),
      // A refused token: asking who we are turns an expired session into the sign-in page.
      onAuthFailed: () => void this.api.me().catch(() => undefined),
    });
    this.live.start();
  }

  private startPhone(): void {
    this.stopPhone();
    const shell = this.shell!;
    const phone = new SoftPhone(() => this.api.sipAccount());
    const widget = new PhoneWidget(phone);
    phone.transferFailed = (message) => shell.toast(message);
    shell.phoneSlot.replaceChildren(widget.chip);
    shell.dockSlot.replaceChildren(widget.dock);
    phone.onChange(() => this.live?.phoneChanged());
    this.phone = phone;
    this.phoneWidget = widget;
    // Debug hook for tests and support: the registration state and the live call's media.
    (window as unknown as { __softphone?: unknown }).__softphone = {
      state: () => ({ reg: phone.state.reg, problem: phone.state.problem?.kind ?? null, calls: phone.state.calls.map((c) => ({ state: c.state, held: c.held, muted: c.muted, number: c.number, name: c.name })) }),
      pc: () => phone.peerConnection(),
      rtp: async () => {
        const pc = phone.peerConnection();
        if (!pc) return null;
        let received = 0;
        let sent = 0;
        (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
          if (r.type === "inbound-rtp" && r.kind === "audio") received += r.packetsReceived ?? 0;
          if (r.type === "outbound-rtp" && r.kind === "audio") sent += r.packetsSent ?? 0;
        });
        return { received, sent };
      },
    };
    void phone.start();
  }

  /** The collapsed pop's Answer / Hang up, when the browser phone has that call. */
  private phoneActions(pop: Pop): PopPhoneActions {
    const phone = this.phone;
    if (!phone) return {};
    const calls = phone.state.calls;
    if (pop.phase === "ringing") {
      const call = ringingCall(calls);
      return call ? { answer: () => phone.answer(call), hangUp: () => phone.hangUp(call) } : {};
    }
    const call = pop.phase === "talking" ? activeCall(calls) : undefined;
    return call ? { hangUp: () => phone.hangUp(call) } : {};
  }

  private startShortcuts(): void {
    this.stopShortcuts?.();
    const onCall = (act: (phone: SoftPhone) => boolean, nothing: string) => () => {
      if (!this.phone || !act(this.phone)) this.shell?.toast(nothing);
    };
    this.stopShortcuts = installShortcuts({
      answer: onCall((p) => {
        const call = ringingCall(p.state.calls);
        if (call) p.answer(call);
        return !!call;
      }, t("app.no_call_is_ringing_on")),
      hangUp: onCall((p) => {
        const call = activeCall(p.state.calls) ?? ringingCall(p.state.calls);
        if (call) p.hangUp(call);
        return !!call;
      }, t("app.no_call_on_the_browser")),
      mute: onCall((p) => {
        const call = activeCall(p.state.calls);
        if (call) p.mute(call, !call.muted);
        return !!call;
      }, t("app.no_call_on_the_browser_2")),
      hold: onCall((p) => {
        const call = activeCall(p.state.calls);
        if (call) p.hold(call, !call.held);
        return !!call;
      }, t("app.no_call_on_the_browser_3")),
      togglePops: () => this.live?.togglePops(),
      search: () => this.search?.focus(),
    });
  }

  private stopPhone(): void {
    this.phone?.stop();
    this.phoneWidget?.destroy();
    this.phone = null;
    this.phoneWidget = null;
  }

  /** Click-to-call from a card: through the browser phone when it is registered; otherwise the
   * bridge rings the agent's own (desk) phone first, then the client (AMI Originate). */
  private dial(phone: DialTarget): boolean {
    const number = phone.e164 ?? phone.raw ?? "";
    if (!number) return false;
    if (this.phoneWidget?.dialNumber(number)) return true;
    if (!this.user?.extensions.length) return false;
    void dialCallback({ phone: number, contact_name: number }).then((result) => this.shell?.toast(result.message));
    return true;
  }

  /** Store the user's language and show the page in it (a fresh start: every text is rebuilt).
   * Not during a browser-phone call: the restart would drop it. */
  private async changeLanguage(tag: string): Promise<void> {
    if (this.phone?.state.calls.length) {
      this.shell?.toast(t("app.language_after_call"));
      this.shell?.root.querySelector<HTMLSelectElement>("[data-testid=language]")?.replaceChildren(...this.languageOptions());
      return;
    }
    try {
      this.user = await this.api.setLanguage(tag);
    } catch (err) {
      this.shell?.toast(err instanceof Error ? err.message : t("app.language_not_saved"));
      return;
    }
    rememberChoice(tag);
    window.location.reload();
  }

  private languageOptions(): HTMLOptionElement[] {
    return languages().map((l) => h("option", { value: l.tag, lang: l.tag, selected: l.tag === language() }, l.name));
  }

  logout(): void {
    this.api.logout();
    history.replaceState(null, "", window.location.pathname);
    this.showLogin();
  }

  navigate(route: Route): void {
    window.location.hash = routeHash(route);
  }

  private onBusy(inFlight: number): void {
    if (this.busyTimer) clearTimeout(this.busyTimer);
    if (inFlight > 0) {
      this.busyTimer = setTimeout(() => this.shell?.setBusy(true), BUSY_DELAY_MS);
    } else {
      this.shell?.setBusy(false);
    }
  }

  private async render(): Promise<void> {
    if (!this.shell || !this.search) return;
    const route = parseRoute(window.location.hash);
    const gen = ++this.generation;
    if (renderStaffPage(route, this.shell, { api: this.api, hrefForContact: (id) => routeHash({ name: "card", id, q: "" }), onAuthFailed: () => void this.api.me().catch(() => undefined) }, this.user)) return;
    this.search.setQuery(route.q);
    this.search.setSelected(route.name === "search" ? null : route.id);
    const pane = this.shell.cardPane;

    if (route.name === "search") {
      document.title = APP_TITLE;
      mount(
        pane,
        h(
          "div",
          { class: "placeholder" },
          h("span", { class: "placeholder-icon", "aria-hidden": "true" }, icon(ICONS.search)),
          h("h2", null, t("app.no_card_open")),
          h("p", null, t("app.search_by_name_company_email")),
        ),
      );
      return;
    }

    mount(pane, cardSkeleton());
    let contact: Contact;
    try {
      [contact] = await Promise.all([this.api.getContact(route.id), this.staffReady]);
    } catch (err) {
      if (gen !== this.generation) return;
      if (err instanceof ApiError && err.status === 401) return;
      const message = err instanceof ApiError && err.status === 404 ? t("app.this_contact_does_not_exist") : err instanceof Error ? err.message : t("app.the_card_could_not_be");
      mount(
        pane,
        h(
          "div",
          { class: "placeholder error" },
          h("span", { class: "placeholder-icon", "aria-hidden": "true" }, icon(ICONS.alert)),
          h("h2", null, t("app.cannot_show_this_card")),
          h("p", { role: "alert" }, message),
          h("button", { type: "button", class: "btn", onclick: () => void this.render() }, t("app.try_again")),
        ),
      );
      return;
    }
    if (gen !== this.generation) return;
    document.title = `${contactName(contact)} — ${APP_TITLE}`;

    if (route.name === "edit") {
      renderContactEdit(pane, contact, this.api, {
        onSaved: () => {
          this.shell?.toast(t("app.changes_saved"));
          this.search?.refresh();
          this.navigate({ name: "card", id: contact.id, q: route.q });
        },
        onCancel: () => this.navigate({ name: "card", id: contact.id, q: route.q }),
        onChanged: (_updated, message) => {
          this.shell?.toast(message);
          this.search?.refresh();
        },
        hrefFor: (id) => routeHash({ name: "card", id, q: route.q }),
      });
      return;
    }

    this.showCard(pane, contact, route.q);
  }

  private showCard(pane: HTMLElement, contact: Contact, q: string): void {
    const active = document.activeElement;
    const fromSearch = active instanceof HTMLAnchorElement && active.closest(".search") !== null;
    const handle = renderCard(pane, cardFromContact(contact), {
      timeline: this.api.timeline(contact.id),
      transcriptOf: (callId, signal) => this.api.callTranscript(callId, signal),
      onEdit: () => this.navigate({ name: "edit", id: contact.id, q }),
      onDial: (phone) => this.dial(phone),
      hrefFor: (ref) => (ref.kind === "contact" ? routeHash({ name: "card", id: ref.id, q }) : null),
      onAddNote: async (text) => {
        const gen = this.generation;
        await this.api.addNote(contact.id, text);
        this.shell?.toast(t("app.note_added"));
        const fresh = await this.api.getContact(contact.id);
        if (gen === this.generation && pane.contains(handle.element)) this.showCard(pane, fresh, q);
      },
    });
    // A card opened from a result list link: move focus to the card's name for screen readers.
    if (fromSearch) {
      const heading = handle.element.querySelector<HTMLElement>(".card-name");
      heading?.setAttribute("tabindex", "-1");
      heading?.focus({ preventScroll: true });
    }
  }
}
