// The supervisor's live feed: /ws/supervisor through the same reconnecting socket as /ws/agent
// (token in the first frame; hello, then a full snapshot, then coalesced full snapshots).
// Keeps the latest snapshot and when it arrived, so views can tick between frames.

import { type LiveStatus, LiveSocket } from "../live/socket";
import type { ServerMessage } from "../types";
import type { KeywordAlert, Snapshot, SupervisorMessage } from "./model";
import { isLiveTranscriptFrame, type LiveTranscriptFrame } from "../live/transcript";
import { t } from "../i18n";

export interface FeedListener {
  snapshot(snapshot: Snapshot, receivedAt: number): void;
  status(status: LiveStatus, retryInMs?: number): void;
  refused?(reason: string): void;
  alert?(alert: KeywordAlert): void;
  live?(frame: LiveTranscriptFrame): void;
}

export function supervisorSocketUrl(loc: Pick<Location, "protocol" | "host"> = window.location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/ws/supervisor`;
}

export class SupervisorFeed {
  private readonly socket: LiveSocket;
  private readonly onOnline = () => this.socket.retryNow();
  latest: Snapshot | null = null;
  receivedAt = 0;

  constructor(token: () => string | null, private readonly listener: FeedListener, onAuthFailed?: () => void) {
    this.socket = new LiveSocket({
      url: supervisorSocketUrl(),
      token,
      onMessage: (message: ServerMessage) => this.onMessage(message as unknown as SupervisorMessage),
      onStatus: (status, retry) => listener.status(status, retry),
      ...(onAuthFailed ? { onAuthFailed } : {}),
    });
  }

  start(): void {
    window.addEventListener("online", this.onOnline);
    this.socket.start();
  }

  stop(): void {
    window.removeEventListener("online", this.onOnline);
    this.socket.stop();
  }

  private onMessage(message: SupervisorMessage): void {
    if (isLiveTranscriptFrame(message as { type?: unknown })) {
      this.listener.live?.(message as unknown as LiveTranscriptFrame);
    } else if (message.type === "snapshot" && Array.isArray(message.queues)) {
      this.latest = message;
      this.receivedAt = Date.now();
      this.listener.snapshot(message, this.receivedAt);
    } else if (message.type === "keyword_alert") {
      this.listener.alert?.(message);
    } else if (message.type === "error") {
      this.listener.refused?.(message.reason);
    }
  }
}

/** The "Live / Reconnecting…" pill, shared by the supervisor page and the wallboard. */
export function statusText(status: LiveStatus): string {
  switch (status) {
    case "live":
      return t("feed.live");
    case "connecting":
      return t("feed.connecting");
    case "reconnecting":
      return t("feed.reconnecting");
    case "stopped":
      return t("feed.stopped");
  }
}
