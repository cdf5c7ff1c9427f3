// The supervisor page's "Live transcripts": every agent call's live lines (/ws/supervisor's
// `live_transcript` frames, live/transcript.ts), one box a call under the agent's name; the call
// the supervisor listens in on (spy.ts) comes first and says so. A call no longer in the
// snapshot's agents goes after a grace (its last lines may come before the snapshot shows it).

import { h } from "../dom";
import { type LiveTranscriptFrame, type LiveTranscriptPanel, LiveTranscripts } from "../live/transcript";
import { t } from "../i18n";

const GRACE_MS = 5000;

export function liveTranscriptsPanel(labelOf: (extension: string) => string): {
  element: HTMLElement;
  apply(frame: LiveTranscriptFrame): void;
  listening(extension: string): void;
  keepOnly(linkedids: Set<string>): void;
} {
  const list = h("div", { class: "live-tr-calls", "data-testid": "live-transcripts" });
  const empty = h("p", { class: "empty" }, t("live_transcript.none_now"));
  const element = h("div", { class: "panel", "data-testid": "live-transcripts-panel" }, h("h2", { class: "panel-title" }, t("live_transcript.panel")), empty, list);
  const boxes = new Map<string, { box: HTMLElement; made: number }>();
  let listeningTo: string | null = null;
  const live = new LiveTranscripts((panel: LiveTranscriptPanel) => {
    const box = h("div", { class: "live-tr-call", "data-agent": panel.agent }, h("p", { class: "live-tr-agent" }, labelOf(panel.agent)), panel.element);
    boxes.set(panel.linkedid, { box, made: Date.now() });
    list.append(box);
    empty.hidden = true;
    mark();
  });
  function mark(): void {
    for (const { box } of boxes.values()) {
      const on = box.dataset.agent === listeningTo;
      box.classList.toggle("live-tr-listening", on);
      box.querySelector(".live-tr-badge")?.remove();
      if (on) {
        box.querySelector(".live-tr-agent")?.append(h("span", { class: "tag live-tr-badge" }, t("live_transcript.listening")));
        list.prepend(box);
      }
    }
  }
  return {
    element,
    apply: (frame) => void live.apply(frame),
    listening(extension) {
      listeningTo = extension;
      mark();
    },
    keepOnly(linkedids) {
      for (const [linkedid, { box, made }] of boxes) {
        if (linkedids.has(linkedid) || Date.now() - made < GRACE_MS) continue;
        box.remove();
        boxes.delete(linkedid);
        live.forget(linkedid);
      }
      empty.hidden = boxes.size > 0;
    },
  };
}
