// #/dead-letters (admins): the webhook deliveries the bridge gave up on after every retry
// (GET /api/admin/webhooks/dead), with Replay per row and Replay all. A replay puts the letters
// back in line; the page then follows the subscriptions' counts (GET /api/admin/webhooks) and
// says whether they were delivered, are still waiting, or failed again.

import type { Api } from "../api";
import { loadingBlock } from "../components/loading";
import { h, icon } from "../dom";
import { formatFull, formatWhen } from "../format";
import { ICONS } from "../icons";
import type { DeadLetter } from "../types";
import { letterTime, plural, type Replay, replayState, replayText, startReplay, stillWaitingText } from "../webhooks/progress";
import type { StaffView, StaffViewContext } from "./supervisor";

const FOLLOW_MS = 1000;
const FOLLOW_FOR_MS = 30_000;

function errorText(err: unknown, fallback: string): string {
  return err instanceof Error ? err.message : fallback;
}

function emptyState(): HTMLElement {
  return h(
    "div",
    { class: "placeholder dead-empty", "data-testid": "dead-empty" },
    h("span", { class: "placeholder-icon", "aria-hidden": "true" }, icon(ICONS.check)),
    h("h3", null, "No dead letters"),
    h("p", null, "Every webhook delivery went through or is still being retried."),
  );
}

function letterRow(letter: DeadLetter, onReplay: (letter: DeadLetter, button: HTMLButtonElement) => void): HTMLTableRowElement {
  const at = letterTime(letter);
  const replay = h("button", { type: "button", class: "btn btn-small", "aria-label": `Replay ${letter.type} to ${letter.url}` }, "Replay");
  replay.addEventListener("click", () => onReplay(letter, replay));
  return h(
    "tr",
    { "data-testid": "dead-letter", "data-delivery": String(letter.delivery_id) },
    h("td", null, h("span", { class: "dead-type" }, letter.type), h("small", { class: "muted dead-id", title: "Event id (X-CTI-Event-Id)" }, letter.event_id)),
    h("td", { class: "dead-url" }, letter.url),
    h("td", { class: "num" }, String(letter.attempts)),
    h("td", { class: "dead-error" }, letter.last_error.replace(/:\s*$/, "") || "—"),
    h("td", null, h("time", { datetime: at, title: formatFull(at) }, formatWhen(at))),
    h("td", { class: "num" }, replay),
  );
}

function lettersTable(letters: readonly DeadLetter[], onReplay: (letter: DeadLetter, button: HTMLButtonElement) => void): HTMLElement {
  const head = ["Event", "URL", "Attempts", "Last error", "Time", ""].map((label, i) =>
    h("th", { scope: "col", class: i === 2 ? "num" : "" }, label || h("span", { class: "visually-hidden" }, "Actions")),
  );
  return h(
    "table",
    { class: "dead-table", "aria-label": "Dead letters" },
    h("thead", null, h("tr", null, ...head)),
    h("tbody", null, ...letters.map((l) => letterRow(l, onReplay))),
  );
}

export function renderDeadLetters(root: HTMLElement, ctx: StaffViewContext): StaffView {
  const api: Api = ctx.api;
  let letters: DeadLetter[] = [];
  let following: ReturnType<typeof setInterval> | undefined;
  let alive = true;
  const count = h("span", { class: "count", "data-testid": "dead-count" }, "…");
  const progress = h("p", { class: "dead-progress", role: "status", "aria-live": "polite", "data-testid": "dead-progress" });
  const listSlot = h("div", { class: "dead-list" }, loadingBlock("Loading dead letters…"));
  const replayAll = h("button", { type: "button", class: "btn btn-primary", disabled: true }, "Replay all");
  const refresh = h("button", { type: "button", class: "btn" }, "Refresh");
  root.replaceChildren(
    h(
      "section",
      { class: "panel dead-page", "aria-labelledby": "dead-title" },
      h(
        "div",
        { class: "dead-head" },
        h("h2", { id: "dead-title", class: "dead-title" }, "Webhook dead letters ", count),
        h("div", { class: "dead-actions" }, refresh, replayAll),
      ),
      h("p", { class: "muted dead-intro" }, "Deliveries the bridge gave up on after every retry, oldest first. Replay sends a letter again from now (a call's events stay in order); the receiver drops repeats by the event id."),
      progress,
      listSlot,
    ),
  );

  const show = () => {
    count.textContent = String(letters.length);
    replayAll.disabled = letters.length === 0;
    replayAll.textContent = letters.length ? `Replay all (${letters.length})` : "Replay all";
    listSlot.replaceChildren(letters.length ? lettersTable(letters, (l, b) => void replayOne(l, b)) : emptyState());
  };

  const load = async () => {
    try {
      letters = await api.deadLetters();
      if (alive) show();
    } catch (err) {
      if (alive) listSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, "Could not load the dead letters.")));
    }
  };

  const stopFollowing = () => {
    if (following) clearInterval(following);
    following = undefined;
  };

  /** Follow the replayed subscriptions until nothing of theirs waits, or FOLLOW_FOR_MS. */
  const follow = async (replay: Replay) => {
    stopFollowing();
    progress.textContent = replayText(replay, null);
    progress.dataset.state = "delivering";
    const started = Date.now();
    const tick = async () => {
      try {
        const state = replayState(replay, await api.webhookSubscriptions());
        if (!alive) return;
        const timedOut = Date.now() - started > FOLLOW_FOR_MS;
        progress.dataset.state = state.phase;
        progress.textContent = state.phase === "delivering" && timedOut ? stillWaitingText(replay, state.waiting) : replayText(replay, state);
        if (state.phase !== "delivering" || timedOut) {
          stopFollowing();
          await load();
        }
      } catch (err) {
        stopFollowing();
        progress.textContent = errorText(err, "Could not follow the replay.");
      }
    };
    following = setInterval(() => void tick(), FOLLOW_MS);
    await tick();
  };

  const replay = async (which: readonly DeadLetter[], send: () => Promise<{ replayed: number }>, button: HTMLButtonElement) => {
    button.disabled = true;
    const label = button.textContent;
    button.textContent = "Replaying…";
    progress.dataset.state = "replaying";
    progress.textContent = `Replaying ${plural(which.length, "dead letter")}…`;
    try {
      const { replayed } = await send();
      const replayAt = startReplay(replayed, which, await api.webhookSubscriptions());
      await load();
      await follow(replayAt);
    } catch (err) {
      progress.dataset.state = "error";
      progress.textContent = errorText(err, "The replay failed.");
      button.disabled = false;
      button.textContent = label;
      await load();
    }
  };
  const replayOne = (letter: DeadLetter, button: HTMLButtonElement) => replay([letter], () => api.replayDeadLetter(letter.delivery_id), button);
  replayAll.addEventListener("click", () => void replay(letters, () => api.replayAllDeadLetters(), replayAll));
  refresh.addEventListener("click", () => void load());

  void load();
  return {
    destroy() {
      alive = false;
      stopFollowing();
    },
  };
}
