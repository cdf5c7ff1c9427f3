// The browser phone's engine: JsSIP registered as the agent's extension over Asterisk's SIP
// WebSocket, its calls (incoming, outgoing, a consult call for attended transfer), mute, hold,
// DTMF, blind and attended transfer. No DOM except the remote audio element; the widget
// (phone/widget.ts) draws what `onChange` reports.
//
// Newest tab wins: a tab that registers tells the others (BroadcastChannel); they unregister and
// say so. Asterisk's pjsip.conf (max_contacts = 1, remove_existing = yes) keeps one device per
// agent anyway; this makes the older tab know it.

import * as JsSIP from "jssip";
import type { RTCSession } from "jssip/lib/RTCSession";
import type { SipAccount } from "../types";
import {
  accountProblem,
  connectionProblem,
  dialable,
  microphoneProblem,
  type Problem,
  REPLACED,
  registrationProblem,
} from "./problems";
import { RingTone } from "./ringtone";
import { t } from "../i18n";

export type RegState = "off" | "starting" | "connecting" | "registered" | "error";
export type CallState = "ringing" | "calling" | "talking" | "ended";

export interface PhoneCall {
  id: number;
  session: RTCSession;
  direction: "incoming" | "outgoing";
  name: string;
  number: string;
  state: CallState;
  muted: boolean;
  held: boolean;
  answeredAt: number | null;
  /** Why it ended, in words ("Rejected", "Busy", ...). */
  endReason: string;
  /** The consult call of an attended transfer: the main call it belongs to. */
  consultFor: PhoneCall | null;
}

export interface PhoneSnapshot {
  reg: RegState;
  problem: Problem | null;
  extension: string;
  calls: PhoneCall[];
}

const CHANNEL = "cti.phone";
const MEDIA: MediaStreamConstraints = { audio: true, video: false };
const PC_CONFIG: RTCConfiguration = { iceServers: [] };
const WSS_OK_KEY = "cti.phone.wssOk";
// In-band RTP events (RFC 4733), what pjsip.conf endpoints expect by default (dtmf_mode = rfc4733).
const DTMF_TRANSPORT = JsSIP.C.DTMF_TRANSPORT.RFC2833;

let nextId = 1;

export class SoftPhone {
  private ua: JsSIP.UA | null = null;
  private account: SipAccount | null = null;
  private readonly tone = new RingTone();
  private readonly audio: HTMLAudioElement;
  private readonly channel: BroadcastChannel | null;
  private readonly tabId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  private everConnected = false;
  private stopped = false;
  state: PhoneSnapshot = { reg: "off", problem: null, extension: "", calls: [] };
  private readonly listeners = new Set<(s: PhoneSnapshot) => void>();
  private readonly onOnline = () => this.ua?.isConnected() || this.reconnect();

  constructor(private readonly loadAccount: () => Promise<SipAccount>) {
    this.audio = document.createElement("audio");
    this.audio.autoplay = true;
    this.audio.dataset.testid = "phone-audio";
    this.audio.hidden = true;
    document.body.append(this.audio);
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    if (this.channel) {
      this.channel.onmessage = (ev: MessageEvent<{ type?: string; ext?: string; tab?: string }>) => {
        const ext = this.account?.extension;
        if (ev.data?.type === "claim" && ext && ev.data.ext === ext && ev.data.tab !== this.tabId) this.yieldToOtherTab();
      };
    }
  }

  onChange(listener: (s: PhoneSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Fetch the account, check the microphone, register. Safe to call again ("Try again"). */
  async start(): Promise<void> {
    this.stopped = false;
    this.teardownUa();
    this.set({ reg: "starting", problem: null });
    try {
      this.account = await this.loadAccount();
    } catch (err) {
      const status = err && typeof err === "object" && "status" in err ? Number((err as { status: unknown }).status) : 0;
      this.set({ reg: "error", problem: accountProblem(status, err instanceof Error ? err.message : String(err)) });
      return;
    }
    if (this.stopped) return;
    this.state.extension = this.account.extension;
    // No microphone, no registration: the queue must not ring a phone that cannot answer.
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error("no mediaDevices") /* i18n-ignore */, { name: "TypeError" });
      const stream = await navigator.mediaDevices.getUserMedia(MEDIA);
      for (const track of stream.getTracks()) track.stop();
    } catch (err) {
      this.set({ reg: "error", problem: microphoneProblem(err) });
      return;
    }
    if (this.stopped) return;
    this.register(this.account);
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    this.tone.stop();
    this.teardownUa();
    this.channel?.close();
    this.audio.remove();
    this.set({ reg: "off", problem: null, calls: [] });
  }

  private register(account: SipAccount): void {
    const sockets = account.ws_servers.map((url) => new JsSIP.WebSocketInterface(url));
    const ua = new JsSIP.UA({
      sockets,
      uri: account.uri,
      password: account.password,
      display_name: account.display_name,
      register: true,
      register_expires: 120,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 16,
      user_agent: "CTI Bridge web softphone", // i18n-ignore: SIP User-Agent
    });
    this.ua = ua;
    const url = account.ws_servers[0] ?? "";
    this.everConnected = localStorage.getItem(WSS_OK_KEY) === url;
    ua.on("connecting", () => {
      if (this.state.reg !== "error") this.set({ reg: "connecting" });
    });
    ua.on("connected", () => {
      this.everConnected = true;
      localStorage.setItem(WSS_OK_KEY, url);
      if (this.state.problem?.kind === "certificate" || this.state.problem?.kind === "unreachable") this.set({ reg: "connecting", problem: null });
    });
    ua.on("disconnected", () => {
      if (this.ua !== ua || this.stopped) return;
      this.set({ reg: "error", problem: connectionProblem(url, this.everConnected) });
    });
    ua.on("registered", () => {
      if (this.ua !== ua) return;
      this.set({ reg: "registered", problem: null });
      this.channel?.postMessage({ type: "claim", ext: account.extension, tab: this.tabId });
    });
    ua.on("unregistered", () => {
      if (this.ua === ua && this.state.reg === "registered") this.set({ reg: "connecting" });
    });
    ua.on("registrationFailed", (e) => {
      if (this.ua !== ua) return;
      const status = e.response && "status_code" in e.response ? Number(e.response.status_code) : undefined;
      const problem = registrationProblem(e.cause, status);
      this.set({ reg: "error", problem });
      // A wrong password will not get better by retrying every few seconds.
      if (problem.kind === "password") this.teardownUa();
    });
    ua.on("newRTCSession", (e: { session: RTCSession; originator: string }) => this.track(e.session, e.originator === "remote" ? "incoming" : "outgoing"));
    window.addEventListener("online", this.onOnline);
    ua.start();
  }

  /** The network is back: start over with one fresh UA (the old one may still be retrying). */
  private reconnect(): void {
    if (!this.account || this.stopped) return;
    this.teardownUa();
    this.register(this.account);
  }

  /** Another tab of this agent registered: let it have the calls. */
  private yieldToOtherTab(): void {
    if (this.state.calls.some((c) => c.state !== "ended")) return; // never drop a live call
    this.teardownUa();
    this.set({ reg: "error", problem: REPLACED() });
  }

  private teardownUa(): void {
    const ua = this.ua;
    this.ua = null;
    if (!ua) return;
    window.removeEventListener("online", this.onOnline);
    try {
      ua.stop(); // unregisters and closes the socket
    } catch {
      /* already down */
    }
  }

  // ---- calls ------------------------------------------------------------

  call(target: string, consultFor: PhoneCall | null = null): PhoneCall | null {
    const number = dialable(target);
    if (!this.ua || !number || !this.account) return null;
    const host = new URL(this.account.uri.replace(/^sip:/, "sip://")).hostname;
    const session = this.ua.call(`sip:${number}@${host}`, { mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
    const call = this.state.calls.find((c) => c.session === session) ?? this.track(session, "outgoing");
    call.number = number;
    call.consultFor = consultFor;
    this.emit();
    return call;
  }

  answer(call: PhoneCall): void {
    // Answering a second call puts the first on hold.
    for (const other of this.active()) if (other !== call && !other.held) this.hold(other, true);
    call.session.answer({ mediaConstraints: MEDIA, pcConfig: PC_CONFIG });
  }

  hangUp(call: PhoneCall): void {
    if (!call.session.isEnded()) call.session.terminate(call.state === "ringing" && call.direction === "incoming" ? { status_code: 486, reason_phrase: "Busy Here" /* i18n-ignore: SIP */ } : {});
  }

  mute(call: PhoneCall, on: boolean): void {
    if (on) call.session.mute({ audio: true });
    else call.session.unmute({ audio: true });
  }

  hold(call: PhoneCall, on: boolean): void {
    if (on) call.session.hold();
    else call.session.unhold();
  }

  dtmf(call: PhoneCall, tone: string): void {
    call.session.sendDTMF(tone, { duration: 120, interToneGap: 70, transportType: DTMF_TRANSPORT });
  }

  /** Blind transfer: the caller goes to `target` (an agent, a queue or a number); we drop out. */
  blindTransfer(call: PhoneCall, target: string): void {
    call.session.refer(this.targetUri(target), { eventHandlers: this.referHandlers(call, [call]) });
  }

  /** Attended transfer, step 1: hold the caller, call the target. */
  consult(call: PhoneCall, target: string): PhoneCall | null {
    if (!call.held) this.hold(call, true);
    return this.call(target, call);
  }

  /** Attended transfer, step 2: join the caller and the consulted party; we drop out. */
  completeTransfer(consult: PhoneCall): void {
    const main = consult.consultFor;
    if (!main) return;
    main.session.refer(consult.session.remote_identity.uri, {
      replaces: consult.session,
      eventHandlers: this.referHandlers(main, [main, consult]),
    });
  }

  /** Once the target took the call (NOTIFY 200), we leave: BYE on our legs. A refused transfer
   * leaves the calls as they were and says so. */
  private referHandlers(call: PhoneCall, leave: PhoneCall[]): Record<string, () => void> {
    const done = () => {
      for (const c of leave) if (!c.session.isEnded()) c.session.terminate();
    };
    return {
      accepted: done,
      failed: () => {
        call.endReason = "";
        this.transferFailed?.(t("softphone.the_transfer_did_not_go"));
      },
    };
  }

  /** Told when a transfer is refused (the widget shows it). */
  transferFailed: ((message: string) => void) | null = null;

  /** The remote audio's peer connection of the newest live call (tests read its stats). */
  peerConnection(): RTCPeerConnection | null {
    const live = this.active().filter((c) => c.state === "talking");
    const call = live[live.length - 1];
    return call ? (call.session.connection as unknown as RTCPeerConnection) : null;
  }

  active(): PhoneCall[] {
    return this.state.calls.filter((c) => c.state !== "ended");
  }

  private targetUri(target: string): string {
    const host = new URL(this.account!.uri.replace(/^sip:/, "sip://")).hostname;
    return `sip:${dialable(target)}@${host}`;
  }

  private track(session: RTCSession, direction: PhoneCall["direction"]): PhoneCall {
    const existing = this.state.calls.find((c) => c.session === session);
    if (existing) return existing;
    const remote = session.remote_identity;
    const call: PhoneCall = {
      id: nextId++,
      session,
      direction,
      name: remote?.display_name ?? "",
      number: remote?.uri?.user ?? "",
      state: direction === "incoming" ? "ringing" : "calling",
      muted: false,
      held: false,
      answeredAt: null,
      endReason: "",
      consultFor: null,
    };
    // Forget calls that ended a while ago; keep the list short.
    this.state.calls = [...this.state.calls.filter((c) => c.state !== "ended"), call];
    const attachAudio = (pc: RTCPeerConnection) =>
      pc.addEventListener("track", (ev) => {
        if (ev.streams[0]) this.audio.srcObject = ev.streams[0];
        void this.audio.play().catch(() => undefined);
      });
    if (session.connection) attachAudio(session.connection as unknown as RTCPeerConnection);
    session.on("peerconnection", (e) => attachAudio(e.peerconnection as unknown as RTCPeerConnection));
    session.on("accepted", () => {
      call.state = "talking";
      call.answeredAt = Date.now();
      this.emit();
    });
    session.on("confirmed", () => {
      if (call.state !== "talking") {
        call.state = "talking";
        call.answeredAt ??= Date.now();
      }
      this.emit();
    });
    const end = (cause: string) => {
      call.state = "ended";
      call.endReason = cause;
      this.emit();
      setTimeout(() => {
        this.state.calls = this.state.calls.filter((c) => c !== call);
        this.emit();
      }, 4000);
    };
    session.on("ended", (e) => end(e.cause ?? "Ended" /* i18n-ignore: a JsSIP cause */));
    session.on("failed", (e) => end(e.cause ?? "Failed" /* i18n-ignore */));
    session.on("hold", () => {
      call.held = true;
      this.emit();
    });
    session.on("unhold", () => {
      call.held = false;
      this.emit();
    });
    session.on("muted", () => {
      call.muted = true;
      this.emit();
    });
    session.on("unmuted", () => {
      call.muted = false;
      this.emit();
    });
    this.emit();
    return call;
  }

  private set(patch: Partial<PhoneSnapshot>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    const ringing = this.state.calls.some((c) => c.state === "ringing" && c.direction === "incoming");
    if (ringing) this.tone.start();
    else this.tone.stop();
    for (const l of this.listeners) l(this.state);
  }
}
