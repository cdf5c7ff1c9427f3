// Wires the live screen-pops into the signed-in page: the /ws/agent socket, the pop state,
// the pop stack, the blinking title and the "Live / Reconnecting…" indicator.
// Every open tab has its own socket; closing a wrap-up in one tab closes it in the others.

import { AgentControls } from "../agent/controls";
import type { Api } from "../api";
import { useCallbackApi } from "../callbacks/api";
import { CallbackNotices } from "../callbacks/notices";
import { isAgentStateFrame, isCallbackFrame } from "../callbacks/types";
import { type PopPhoneActions, PopStack } from "../components/screenpop";
import { h } from "../dom";
import type { Card, DialTarget, ServerMessage, User } from "../types";
import { type Pop, PopStore } from "./pops";
import { type LiveStatus, LiveSocket } from "./socket";
import { isLiveTranscriptFrame, LiveTranscripts } from "./transcript";
import { TitleBlinker } from "./title";
import { t } from "../i18n";

export interface LiveOptions {
  api: Api;
  user: User;
  /** Where the pop stack goes (over the page). */
  popSlot: HTMLElement;
  /** Where the connection indicator goes (top bar). */
  statusSlot: HTMLElement;
  hrefForContact: (id: number) => string;
  toast: (message: string) => void;
  /** The server refused the token: check the session (a 401 signs the page out). */
  onAuthFailed: () => void;
  /** Click-to-call from a pop's card (the browser phone). */
  onDial?: (phone: DialTarget) => boolean;
  /** What the browser phone can do for a pop's call (the collapsed bar's Answer / Hang up). */
  phoneActions?: (pop: Pop) => PopPhoneActions;
  /** Override for tests/dev: the websocket URL. */
  url?: string;
}

const CHANNEL = "cti.pops";

export function agentSocketUrl(loc: Pick<Location, "protocol" | "host"> = window.location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws/agent`;
}

export class LiveController {
  private readonly store = new PopStore();
  private readonly live = new LiveTranscripts();
  private readonly stack: PopStack;
  private readonly socket: LiveSocket;
  private readonly title = new TitleBlinker();
  private readonly indicator: HTMLElement;
  private readonly notices: CallbackNotices;
  private readonly agent: AgentControls;
  private readonly channel: BroadcastChannel | null;
  private readonly onOnline = () => this.socket.retryNow();

  constructor(private readonly opts: LiveOptions) {
    this.stack = new PopStack({
      api: opts.api,
      hrefForContact: opts.hrefForContact,
      toast: opts.toast,
      onDismiss: (linkedid) => this.dismiss(linkedid, true),
      onCardCreated: (linkedid, card) => this.cardCreated(linkedid, card),
      ...(opts.onDial ? { onDial: opts.onDial } : {}),
      ...(opts.phoneActions ? { phoneActions: opts.phoneActions } : {}),
      liveTranscript: (linkedid) => this.live.of(linkedid)?.element ?? null,
    });
    this.indicator = h("span", { class: "live-status", "data-state": "connecting", "data-testid": "live-status", role: "status", title: t("controller.live_call_notifications") }, t("controller.connecting"));
    // Scheduled call-backs due now and the agent's queue/pause state come over the same socket.
    this.notices = new CallbackNotices(opts.toast);
    this.agent = new AgentControls(useCallbackApi(opts.api), opts.toast);
    opts.statusSlot.replaceChildren(this.agent.element, this.indicator);
    opts.popSlot.replaceChildren(this.notices.element, this.stack.element);
    this.socket = new LiveSocket({
      url: opts.url ?? agentSocketUrl(),
      token: () => opts.api.token,
      onMessage: (message) => this.onMessage(message),
      onStatus: (status, retryInMs) => this.showStatus(status, retryInMs),
      onAuthFailed: opts.onAuthFailed,
    });
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    if (this.channel) {
      this.channel.onmessage = (ev: MessageEvent<{ type?: string; login?: string; linkedid?: string }>) => {
        if (ev.data?.type === "dismiss" && ev.data.login === opts.user.login && ev.data.linkedid) this.dismiss(ev.data.linkedid, false);
      };
    }
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    this.socket.start();
  }

  stop(): void {
    window.removeEventListener("online", this.onOnline);
    this.socket.stop();
    this.channel?.close();
    this.stack.destroy();
    this.notices.destroy();
    this.agent.destroy();
    this.title.set(null);
    this.indicator.remove();
  }

  /** Alt+C: collapse the pops to bars, or expand them. */
  togglePops(): void {
    this.stack.toggleAll();
  }

  /** The browser phone's calls changed. */
  phoneChanged(): void {
    this.stack.refreshPhone();
  }

  private onMessage(message: ServerMessage): void {
    const frame = message as unknown as { type: string };
    if (isCallbackFrame(frame)) return this.notices.apply(frame);
    if (isAgentStateFrame(frame)) return this.agent.show(frame);
    if (isLiveTranscriptFrame(frame)) {
      const isNew = !this.live.of(frame.linkedid);
      this.live.apply(frame);
      if (isNew) this.stack.showLive(frame.linkedid);
      return;
    }
    if (message.type === "hello") void this.agent.load();
    if (message.type === "hello" || message.type === "error") return;
    if (message.type === "snapshot") {
      // Closed while the connection was down: tell the server again.
      for (const pop of message.pops) {
        if (this.store.isDismissed(pop.linkedid)) this.socket.send({ type: "dismiss", linkedid: pop.linkedid });
      }
    }
    this.stack.apply(this.store.apply(message));
    this.updateTitle();
  }

  private dismiss(linkedid: string, local: boolean): void {
    this.live.forget(linkedid);
    this.stack.apply(this.store.dismiss(linkedid));
    this.updateTitle();
    if (!local) return;
    this.socket.send({ type: "dismiss", linkedid });
    this.channel?.postMessage({ type: "dismiss", login: this.opts.user.login, linkedid });
  }

  private cardCreated(linkedid: string, card: Card): void {
    const pop = this.store.setCard(linkedid, card);
    if (pop) this.stack.apply([{ kind: "show", pop, phaseChanged: pop.phase !== "ended" }]);
    this.updateTitle();
  }

  private updateTitle(): void {
    const name = this.stack.ringingName();
    this.title.set(name ? t("controller.ringing_name", { name }) : null);
  }

  private showStatus(status: LiveStatus, retryInMs?: number): void {
    const texts: Record<LiveStatus, string> = {
      connecting: t("controller.connecting"),
      live: t("controller.live"),
      reconnecting: t("controller.reconnecting"),
      stopped: t("controller.offline"),
    };
    this.indicator.dataset.state = status;
    this.indicator.textContent = texts[status];
    this.indicator.title =
      status === "live"
        ? t("controller.connected_calls_to_your_extensions")
        : status === "reconnecting" && retryInMs !== undefined
          ? t("controller.connection_lost_trying_again_in", { value: Math.ceil(retryInMs / 1000) })
          : t("controller.live_call_notifications");
  }
}
