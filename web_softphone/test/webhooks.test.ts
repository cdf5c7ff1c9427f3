import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { DeadLetter, WebhookSubscription } from "../src/types";
import { letterTime, replayState, replayText, startReplay, stillWaitingText } from "../src/webhooks/progress";

function letter(id: number, subscription: number, occurred?: string): DeadLetter {
  return {
    delivery_id: id, subscription_id: subscription, url: "https://crm.example/hook", event_id: `e${id}`, type: "call.ended",
    ordering_key: "k", attempts: 20, last_error: "HTTP 503", created_at: "2026-12-01T10:00:00Z", event: occurred ? { occurred_at: occurred } : {},
  };
}

function sub(id: number, pending: number, dead: number): WebhookSubscription {
  return { id, url: "https://crm.example/hook", events: ["call.ended"], enabled: true, timeout_seconds: 5, description: "", created_at: "2026-12-01T09:00:00Z", pending, dead };
}

describe("a replay of dead letters", () => {
  it("follows the replayed subscriptions only, to delivered", () => {
    const replay = startReplay(2, [letter(1, 1), letter(2, 1)], [sub(1, 2, 0), sub(2, 5, 3)]);
    assert.deepEqual(replayState(replay, [sub(1, 1, 0), sub(2, 9, 9)]), { phase: "delivering", waiting: 1 });
    assert.equal(replayText(replay, replayState(replay, [sub(1, 1, 0)])), "2 dead letters sent again. Delivering: 1 waiting…");
    assert.equal(replayText(replay, replayState(replay, [sub(1, 0, 0)])), "2 dead letters sent again. Delivered: nothing waiting.");
  });

  it("says when letters died again, and when nothing was left to replay", () => {
    const replay = startReplay(1, [letter(1, 1)], [sub(1, 1, 1)]);  // one other letter stays dead
    assert.deepEqual(replayState(replay, [sub(1, 0, 1)]), { phase: "delivered" });
    assert.equal(replayText(replay, replayState(replay, [sub(1, 0, 2)])), "1 dead letter sent again. 1 letter failed every retry again: is the receiver up?");
    assert.equal(replayText(startReplay(0, [], []), null), "Nothing to replay: no dead letters left.");
    assert.match(stillWaitingText(replay, 1), /Still waiting: 1\. The bridge keeps retrying/);
  });

  it("dates a letter by its event, else by its delivery", () => {
    assert.equal(letterTime(letter(1, 1, "2026-12-01T09:59:00Z")), "2026-12-01T09:59:00Z");
    assert.equal(letterTime(letter(1, 1)), "2026-12-01T10:00:00Z");
  });
});
