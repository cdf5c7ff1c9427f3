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
import { deadLetters, letterTime, type Replay, replayState, replayText, startReplay, stillWaitingText } from "../webhooks/progress";
import type { StaffView, StaffViewContext } from "./supervisor";
import { t } from "../i18n";

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
    h("h3", null, t("deadLetters.no_dead_letters")),
    h("p", null, t("deadLetters.every_webhook_delivery_went_through")),
  );
}

function letterRow(letter: DeadLetter, onReplay: (letter: DeadLetter, button: HTMLButtonElement) => void): HTMLTableRowElement {
  const at = letterTime(letter);
  const replay = h("button", { type: "button", class: "btn btn-small", "aria-label": t("deadLetters.replay_type_to_url", { type: letter.type, url: letter.url }) }, t("deadLetters.replay"));
  replay.addEventListener("click", () => onReplay(letter, replay));
  return h(
    "tr",
    { "data-testid": "dead-letter", "data-delivery": String(letter.delivery_id) },
    h("td", null, h("span", { class: "dead-type" }, letter.type), h("small", { class: "muted dead-id", title: t("deadLetters.event_id_x_cti_event") }, letter.event_id)),
    h("td", { class: "dead-url" }, letter.url),
    h("td", { class: "num" }, String(letter.attempts)),
    h("td", { class: "dead-error" }, letter.last_error.replace(/:\s*$/, "") || "—"),
    h("td", null, h("time", { datetime: at, title: formatFull(at) }, formatWhen(at))),
    h("td", { class: "num" }, replay),
  );
}

function lettersTable(letters: readonly DeadLetter[], onReplay: (letter: DeadLetter, button: HTMLButtonElement) => void): HTMLElement {
  const head = [t("deadLetters.event"), "URL", t("deadLetters.attempts"), t("deadLetters.last_error"), t("deadLetters.time"), ""].map((label, i) =>
    h("th", { scope: "col", class: i === 2 ? "num" : "" }, label || h("span", { class: "visually-hidden" }, t("deadLetters.actions"))),
  );
  return h(
    "table",
    { class: "dead-table", "aria-label": t("deadLetters.dead_letters") },
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
  const listSlot = h("div", { class: "dead-list" }, loadingBlock(t("deadLetters.loading_dead_letters")));
  const replayAll = h("button", { type: "button", class: "btn btn-primary", disabled: true }, t("deadLetters.replay_all"));
  const refresh = h("button", { type: "button", class: "btn" }, t("deadLetters.refresh"));
  root.replaceChildren(
    h(
      "section",
      { class: "panel dead-page", "aria-labelledby": "dead-title" },
      h(
        "div",
        { class: "dead-head" },
        h("h2", { id: "dead-title", class: "dead-title" }, t("deadLetters.webhook_dead_letters"), count),
        h("div", { class: "dead-actions" }, refresh, replayAll),
      ),
      h("p", { class: "muted dead-intro" }, t("deadLetters.deliveries_the_bridge_gave_up")),
      progress,
      listSlot,
    ),
  );

  const show = () => {
    count.textContent = String(letters.length);
    replayAll.disabled = letters.length === 0;
    replayAll.textContent = letters.length ? t("deadLetters.replay_all_length", { length: letters.length }) : t("deadLetters.replay_all");
    listSlot.replaceChildren(letters.length ? lettersTable(letters, (l, b) => void replayOne(l, b)) : emptyState());
  };

  const load = async () => {
    try {
      letters = await api.deadLetters();
      if (alive) show();
    } catch (err) {
      if (alive) listSlot.replaceChildren(h("p", { class: "form-alert error", role: "alert" }, errorText(err, t("deadLetters.could_not_load_the_dead"))));
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
        progress.textContent = errorText(err, t("deadLetters.could_not_follow_the_replay"));
      }
    };
    following = setInterval(() => void tick(), FOLLOW_MS);
    await tick();
  };

  const replay = async (which: readonly DeadLetter[], send: () => Promise<{ replayed: number }>, button: HTMLButtonElement) => {
    button.disabled = true;
    const label = button.textContent;
    button.textContent = t("deadLetters.replaying");
    progress.dataset.state = "replaying";
    progress.textContent = t("deadLetters.replaying_value", { value: deadLetters(which.length) });
    try {
      const { replayed } = await send();
      const replayAt = startReplay(replayed, which, await api.webhookSubscriptions());
      await load();
      await follow(replayAt);
    } catch (err) {
      progress.dataset.state = "error";
      progress.textContent = errorText(err, t("deadLetters.the_replay_failed"));
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
