// What a replay of dead letters has come to, in words (pure: unit-tested under node).
// A replayed letter is a pending delivery again; the bridge's sender posts it within a moment.
// The page follows the replayed subscriptions' `pending` and `dead` counts until nothing waits.

import type { DeadLetter, WebhookSubscription } from "../types";
import { t } from "../i18n";

export interface Replay {
  /** How many letters the server put back in line. */
  replayed: number;
  /** The subscriptions they belong to. */
  subscriptions: ReadonlySet<number>;
  /** Their dead count just after the replay: a rise means a letter failed every retry again. */
  deadBefore: number;
}

export type ReplayState = { phase: "delivering"; waiting: number } | { phase: "delivered" } | { phase: "dead-again"; dead: number };

/** "1 dead letter", "3 dead letters" (the language's plural forms). */
export function deadLetters(n: number): string {
  return t("progress.dead_letters", { count: n });
}

/** A replay of `letters` that the server answered with `replayed`; `now`: the counts read right after. */
export function startReplay(replayed: number, letters: readonly DeadLetter[], now: readonly WebhookSubscription[]): Replay {
  const subscriptions = new Set(letters.map((l) => l.subscription_id));
  const deadBefore = now.filter((s) => subscriptions.has(s.id)).reduce((n, s) => n + s.dead, 0);
  return { replayed, subscriptions, deadBefore };
}

/** Where the replay stands, from the replayed subscriptions' counts now. */
export function replayState(replay: Replay, subscriptions: readonly WebhookSubscription[]): ReplayState {
  const mine = subscriptions.filter((s) => replay.subscriptions.has(s.id));
  const waiting = mine.reduce((n, s) => n + s.pending, 0);
  const dead = mine.reduce((n, s) => n + s.dead, 0);
  if (dead > replay.deadBefore) return { phase: "dead-again", dead: dead - replay.deadBefore };
  return waiting > 0 ? { phase: "delivering", waiting } : { phase: "delivered" };
}

export function replayText(replay: Replay, state: ReplayState | null): string {
  const sent = t("progress.value_sent_again", { value: deadLetters(replay.replayed) });
  if (replay.replayed === 0) return t("progress.nothing_to_replay_no_dead");
  if (!state) return t("progress.sent_delivering", { sent });
  switch (state.phase) {
    case "delivering":
      return t("progress.sent_delivering_waiting_waiting", { sent, waiting: state.waiting });
    case "delivered":
      return t("progress.sent_delivered_nothing_waiting", { sent });
    case "dead-again":
      return t("progress.sent_value_failed_every_retry", { sent, value: t("progress.letters", { count: state.dead }) });
  }
}

/** The receiver is still failing, so the letters are being retried (they come back here if every retry fails). */
export function stillWaitingText(replay: Replay, waiting: number): string {
  return t("progress.value_sent_again_still_waiting", { value: deadLetters(replay.replayed), waiting });
}

/** When the event happened (as sent), else when its delivery was made. */
export function letterTime(letter: DeadLetter): string {
  const occurred = letter.event["occurred_at"];
  return typeof occurred === "string" && occurred ? occurred : letter.created_at;
}
