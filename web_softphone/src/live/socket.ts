// The agent's live connection: websocket /ws/agent with the token in the first frame,
// reconnecting with exponential backoff (and jitter) for as long as the page is signed in.
// On every (re)connect the server sends hello + snapshot, so a blip never loses a pop.
// No DOM here: the socket factory and timers are injectable for the node unit tests.

import type { ServerMessage } from "../types";

export type LiveStatus = "connecting" | "live" | "reconnecting" | "stopped";

/** The part of the browser's WebSocket this module uses. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveSocketOptions {
  url: string;
  /** The bearer token; null stops the socket (signed out). */
  token: () => string | null;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: LiveStatus, retryInMs?: number) => void;
  /** The server refused the token (close 1008): the page should check the session. */
  onAuthFailed?: () => void;
  createSocket?: (url: string) => SocketLike;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;
const POLICY_VIOLATION = 1008;

/** Delay before reconnect attempt `attempt` (0-based): doubling from `initial` up to `max`, ±25 % jitter. */
export function backoffDelay(attempt: number, initial = 500, max = 15_000, random: () => number = Math.random): number {
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.75 + 0.5 * random()));
}

export class LiveSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private stopped = true;
  private status: LiveStatus = "stopped";

  constructor(private readonly opts: LiveSocketOptions) {}

  get current(): LiveStatus {
    return this.status;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, "signed out"); // i18n-ignore: a close reason
    }
    this.setStatus("stopped");
  }

  /** Reconnect now (e.g. the browser came back online) instead of waiting for the backoff. */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    this.cancelTimer();
    this.connect();
  }

  /** Send a frame if connected; false when it could not be sent. */
  send(frame: object): boolean {
    if (!this.socket || this.socket.readyState !== OPEN || this.status !== "live") return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    const token = this.opts.token();
    if (!token) {
      this.stop();
      return;
    }
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const create = this.opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token }));
    socket.onmessage = (ev) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === "hello") {
        this.attempt = 0;
        this.setStatus("live");
      }
      this.opts.onMessage(message);
    };
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (ev.code === POLICY_VIOLATION) this.opts.onAuthFailed?.();
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.opts.initialDelayMs, this.opts.maxDelayMs, this.opts.random);
    this.attempt += 1;
    this.setStatus("reconnecting", delay);
    const set = this.opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    this.timer = set(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    const clear = this.opts.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    clear(this.timer);
    this.timer = null;
  }

  private setStatus(status: LiveStatus, retryInMs?: number): void {
    this.status = status;
    this.opts.onStatus(status, retryInMs);
  }
}
