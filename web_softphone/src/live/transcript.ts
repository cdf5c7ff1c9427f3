// The live transcript of a call in progress (README "Transcripts (live, during the call)"): the
// `live_transcript` frames of /ws/agent (the agent's pop) or /ws/supervisor (the supervisor's
// listen-in view) as lines, who said them (Client / Agent) and the words so far; a line still
// being said is shown as it grows and marked, a finished one replaces it. A
// `live_transcript_stopped` frame says the live transcript stopped (the call goes on).

import { h } from "../dom";
import { t } from "../i18n";

export interface LiveLineFrame {
  type: "live_transcript";
  linkedid: string;
  agent: string;
  speaker: "agent" | "caller";
  utterance: number;
  text: string;
  final: boolean;
  start_ms?: number;
  end_ms?: number;
}

export interface LiveStoppedFrame {
  type: "live_transcript_stopped";
  linkedid: string;
  agent: string;
  speaker: "agent" | "caller" | null;
  reason: "stream_failed" | "decoder_failed" | "fell_behind" | "capacity" | "not_started";
  detail: string;
}

export type LiveTranscriptFrame = LiveLineFrame | LiveStoppedFrame;

export function isLiveTranscriptFrame(frame: { type?: unknown }): frame is LiveTranscriptFrame {
  return frame.type === "live_transcript" || frame.type === "live_transcript_stopped";
}

const MAX_LINES = 200;

/** One call's live lines, kept in one element the pop (or the supervisor's view) shows. */
export class LiveTranscriptPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly lines = new Map<string, HTMLElement>();

  constructor(readonly linkedid: string, readonly agent: string) {
    this.list = h("ol", { class: "live-tr-lines", "aria-live": "polite", "aria-relevant": "additions text" }); // i18n-ignore
    this.notes = h("div", { class: "live-tr-notes" });
    this.element = h(
      "section",
      { class: "live-tr", "data-testid": "live-transcript", "data-linkedid": linkedid, "aria-label": t("live_transcript.title") },
      h("h3", { class: "live-tr-title" }, h("span", { class: "live-tr-dot", "aria-hidden": "true" }), t("live_transcript.title")),
      this.list,
      this.notes,
    );
  }

  apply(frame: LiveTranscriptFrame): void {
    if (frame.type === "live_transcript_stopped") return this.stopped(frame);
    const key = `${frame.speaker}:${frame.utterance}`;
    let line = this.lines.get(key);
    if (!line) {
      line = h("li", { class: "live-tr-line", "data-speaker": frame.speaker });
      this.lines.set(key, line);
      this.list.append(line);
      while (this.list.children.length > MAX_LINES) {
        const first = this.list.firstElementChild as HTMLElement | null;
        if (!first) break;
        for (const [k, v] of this.lines) if (v === first) this.lines.delete(k);
        first.remove();
      }
    }
    line.classList.toggle("live-tr-partial", !frame.final);
    line.dataset.final = String(frame.final);
    const parts: Node[] = [
      h("span", { class: "live-tr-who" }, frame.speaker === "agent" ? t("transcript.agent") : t("transcript.client")),
      h("span", { class: "live-tr-text" }, frame.text),
    ];
    if (!frame.final) parts.push(h("span", { class: "visually-hidden" }, t("live_transcript.still_speaking")));
    line.replaceChildren(...parts);
  }

  private stopped(frame: LiveStoppedFrame): void {
    const who = frame.speaker === "agent" ? t("transcript.agent") : frame.speaker === "caller" ? t("transcript.client") : null;
    const text = frame.reason === "capacity" ? t("live_transcript.capacity") : who ? t("live_transcript.stopped_side", { who }) : t("live_transcript.stopped");
    this.notes.append(h("p", { class: "live-tr-stopped", role: "status", "data-testid": "live-transcript-stopped", "data-reason": frame.reason }, text));
  }
}

/** Every call's panel, by linkedid: made on its first frame. */
export class LiveTranscripts {
  private readonly panels = new Map<string, LiveTranscriptPanel>();

  constructor(private readonly onNew: (panel: LiveTranscriptPanel) => void = () => {}) {}

  apply(frame: LiveTranscriptFrame): LiveTranscriptPanel {
    let panel = this.panels.get(frame.linkedid);
    if (!panel) {
      panel = new LiveTranscriptPanel(frame.linkedid, frame.agent);
      this.panels.set(frame.linkedid, panel);
      this.onNew(panel);
    }
    panel.apply(frame);
    return panel;
  }

  of(linkedid: string): LiveTranscriptPanel | undefined {
    return this.panels.get(linkedid);
  }

  forget(linkedid: string): void {
    this.panels.get(linkedid)?.element.remove();
    this.panels.delete(linkedid);
  }

  all(): LiveTranscriptPanel[] {
    return Array.from(this.panels.values());
  }
}
