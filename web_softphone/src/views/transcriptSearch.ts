// Under the contact search: "Said in calls" — the same words looked for in the transcripts of
// calls (GET /api/transcripts/search), optionally only what clients said. Each hit names the
// call's time and number and links to the card the call is on.

import { ApiError, type Api } from "../api";
import { h } from "../dom";
import { formatFull, formatWhen } from "../format";
import { clockOf } from "../components/transcript";
import type { TranscriptHit } from "../types";
import { t } from "../i18n";

export interface TranscriptSearch {
  element: HTMLElement;
  search(q: string): void;
}

const MIN_LENGTH = 3;

export function createTranscriptSearch(api: Api, hrefFor: (id: number, q: string) => string): TranscriptSearch {
  const clientOnly = h("input", { type: "checkbox", id: "said-client-only", name: "client_only" });
  const status = h("p", { class: "said-status", role: "status", "aria-live": "polite" });
  const list = h("ul", { class: "said-results", "data-testid": "said-results", "aria-label": t("said.results") });
  const element = h(
    "section",
    { class: "said", "aria-labelledby": "said-title", hidden: true },
    h("h2", { id: "said-title", class: "said-title" }, t("said.said_in_calls")),
    h("label", { class: "said-filter", for: "said-client-only" }, clientOnly, " ", t("said.client_only")),
    status,
    list,
  );
  let query = "";
  let controller: AbortController | null = null;

  const row = (hit: TranscriptHit, q: string): HTMLLIElement => {
    const who = hit.speaker === "agent" ? t("transcript.agent") : hit.speaker === "caller" ? t("transcript.client") : t("transcript.both");
    const when = h("time", { datetime: hit.started_at, title: formatFull(hit.started_at) }, formatWhen(hit.started_at));
    const head = h("span", { class: "said-head" }, when, " · ", h("span", { class: "mono" }, hit.caller), " · ", `${who} ${clockOf(hit.start_ms)}`);
    const text = h("span", { class: "said-text" }, `“${hit.text}”`);
    const inner = hit.contact_id ? h("a", { class: "said-hit", href: hrefFor(hit.contact_id, q), "data-call-id": String(hit.call_id) }, head, text) : h("div", { class: "said-hit", "data-call-id": String(hit.call_id) }, head, text);
    return h("li", null, inner);
  };

  const run = async () => {
    controller?.abort();
    const q = query;
    element.hidden = q.length < MIN_LENGTH;
    if (element.hidden) return;
    const mine = new AbortController();
    controller = mine;
    try {
      const hits = await api.searchTranscripts(q, clientOnly.checked ? "caller" : null, mine.signal);
      if (mine.signal.aborted) return;
      list.replaceChildren(...hits.map((hit) => row(hit, q)));
      status.textContent = hits.length ? t("said.lines_found", { count: hits.length }) : t("said.nothing_said", { q });
    } catch (err) {
      if (mine.signal.aborted) return;
      list.replaceChildren();
      if (err instanceof ApiError && err.status === 422) status.textContent = t("said.give_a_word");
      else status.textContent = err instanceof Error ? err.message : t("said.failed");
    }
  };
  clientOnly.addEventListener("change", () => void run());
  return {
    element,
    search(q) {
      query = q;
      void run();
    },
  };
}
