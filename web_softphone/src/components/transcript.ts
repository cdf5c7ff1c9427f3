// A call's transcript beside it on the card (README "Transcripts"): a disclosure that loads
// GET /api/calls/{id}/transcript when opened and follows it while it is queued or being
// transcribed. Each line shows who spoke and when (m:ss from the start of the recording); the
// summary and the suggested wrap-up note appear only when a chat model wrote them; keyword
// flags are tags. When the call's recording player is open beside it, a line's time seeks it.

import { h } from "../dom";
import type { Transcript, TranscriptLine } from "../types";
import { t } from "../i18n";

export type TranscriptOf = (callId: number, signal?: AbortSignal) => Promise<Transcript>;

const FOLLOW_MS = 3000;

/** 65_400 ms -> "1:05". */
export function clockOf(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function speakerLabel(speaker: TranscriptLine["speaker"]): string {
  if (speaker === "agent") return t("transcript.agent");
  if (speaker === "caller") return t("transcript.client");
  return t("transcript.both");
}

function stateText(tr: Transcript): string {
  switch (tr.state) {
    case "queued":
      return t("transcript.queued");
    case "transcribing":
      return t("transcript.transcribing");
    case "failed":
      return t("transcript.failed", { error: tr.error || "—" });
    case "none":
      return t("transcript.none");
    case "done":
      return tr.lines.length ? t("transcript.lines", { count: tr.lines.length }) : t("transcript.nothing_heard");
  }
}

/** The call's recording player beside its transcript (recordings/player.ts), once opened. */
function playerOf(from: HTMLElement): HTMLMediaElement | null {
  const scope = from.closest(".tl-body, .mini-main") ?? null;
  return scope?.querySelector<HTMLMediaElement>(".rec-player audio") ?? null;
}

function lineItem(line: TranscriptLine, flagged: boolean): HTMLLIElement {
  const at = clockOf(line.start_ms);
  const time = h("button", { type: "button", class: "tr-time mono link-button", title: t("transcript.play_from", { at }) }, at);
  time.addEventListener("click", () => {
    const player = playerOf(time);
    if (!player) return;
    player.currentTime = line.start_ms / 1000;
    void player.play().catch(() => undefined);
  });
  return h(
    "li",
    { class: "tr-line", "data-speaker": line.speaker, "data-flagged": flagged ? "true" : null, "data-start-ms": String(line.start_ms) },
    time,
    h("span", { class: "tr-speaker" }, speakerLabel(line.speaker)),
    h("span", { class: "tr-text" }, line.text),
  );
}

function body(tr: Transcript): HTMLElement[] {
  const flaggedAt = new Set(tr.flags.map((f) => f.start_ms));
  const parts: HTMLElement[] = [];
  if (tr.flags.length)
    parts.push(
      h("p", { class: "tr-flags", "data-testid": "transcript-flags" }, h("span", null, t("transcript.keywords")), " ", ...tr.flags.map((f) => h("span", { class: "tag tone-bad" }, f.keyword))),
    );
  if (tr.summary)
    parts.push(
      h(
        "div",
        { class: "tr-summary", "data-testid": "transcript-summary" },
        h("p", null, h("strong", null, t("transcript.summary")), " ", tr.summary.summary),
        tr.summary.wrapup_note ? h("p", null, h("strong", null, t("transcript.suggested_note")), " ", tr.summary.wrapup_note) : h("span"),
      ),
    );
  if (tr.lines.length) parts.push(h("ol", { class: "tr-lines", "aria-label": t("transcript.transcript") }, ...tr.lines.map((l) => lineItem(l, flaggedAt.has(l.start_ms)))));
  return parts;
}

/** The "Transcript" disclosure of one call. */
export function transcriptDisclosure(callId: number, load: TranscriptOf): HTMLElement {
  const status = h("p", { class: "tr-status", role: "status", "aria-live": "polite" });
  const content = h("div", { class: "tr-content" });
  const details = h("details", { class: "transcript", "data-testid": "transcript", "data-call-id": String(callId) }, h("summary", null, t("transcript.transcript")), status, content);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | null = null;
  const fetchOnce = async () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    try {
      const tr = await load(callId, mine.signal);
      if (mine.signal.aborted) return;
      details.dataset.state = tr.state;
      status.textContent = stateText(tr);
      content.replaceChildren(...body(tr));
      if ((tr.state === "queued" || tr.state === "transcribing") && details.open && details.isConnected) timer = setTimeout(() => void fetchOnce(), FOLLOW_MS);
    } catch (err) {
      if (mine.signal.aborted) return;
      details.dataset.state = "error";
      status.textContent = err instanceof Error ? err.message : t("transcript.could_not_load");
    }
  };
  details.addEventListener("toggle", () => {
    clearTimeout(timer);
    if (details.open) {
      status.textContent = t("transcript.loading");
      void fetchOnce();
    } else controller?.abort();
  });
  return details;
}
