import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { phaseOf, statusText } from "../src/agent/status";
import type { AgentState } from "../src/callbacks/types";
import { fromFields, nextFullHour, slotOf, weekStart } from "../src/callbacks/when";
import { parseRoute, routeHash } from "../src/router";

const state = (over: Partial<AgentState> = {}): AgentState => ({
  extension: "1001",
  interface: "PJSIP/1001",
  queues: [{ queue: "sales", paused: false, pause_reason: "", status: "1", membership: "dynamic" }],
  on_call: false,
  ringing: false,
  pause_reasons: ["lunch"],
  available_queues: ["sales"],
  wrapup_until: 0,
  ...over,
});

describe("call-back dates", () => {
  it("starts the week on Monday and finds a call-back's slot", () => {
    const friday = new Date(2026, 10, 27, 15, 20);
    const monday = weekStart(friday);
    assert.equal(monday.getDay(), 1);
    assert.equal(monday.getDate(), 23);
    assert.equal(weekStart(new Date(2026, 10, 29, 23, 0)).getDate(), 23, "Sunday belongs to the week before");
    assert.deepEqual(slotOf(new Date(2026, 10, 27, 10, 30).toISOString(), monday), { day: 4, hour: 10 });
    assert.deepEqual(slotOf(new Date(2026, 10, 24, 5, 0).toISOString(), monday), { day: 1, hour: 7 }, "early ones sit in the first row");
    assert.deepEqual(slotOf(new Date(2026, 10, 29, 23, 0).toISOString(), monday), { day: 6, hour: 20 });
    assert.equal(slotOf(new Date(2026, 10, 30, 9, 0).toISOString(), monday), null);
    assert.equal(slotOf(null, monday), null);
  });

  it("reads the form's fields and proposes the next full hour", () => {
    assert.equal(fromFields("2026-11-28", "10:30")?.getHours(), 10);
    assert.equal(fromFields("", "10:30"), null);
    assert.equal(fromFields("2026-11-28", "soon"), null);
    const next = nextFullHour(new Date(2026, 10, 27, 15, 20));
    assert.deepEqual([next.getHours(), next.getMinutes()], [16, 0]);
  });

  it("routes #/callbacks", () => {
    assert.equal(parseRoute("#/callbacks").name, "callbacks");
    assert.equal(routeHash({ name: "callbacks", q: "" }), "#/callbacks");
  });
});

describe("agent state in words", () => {
  it("says logged out, available, paused, on a call and counts the wrap-up down", () => {
    assert.equal(statusText(state({ queues: [] }), 0), "Logged out");
    assert.equal(statusText(state(), 0), "Available · sales");
    const paused = state({ queues: [{ queue: "sales", paused: true, pause_reason: "lunch", status: "1", membership: "dynamic" }] });
    assert.equal(statusText(paused, 0), "Paused: lunch");
    assert.equal(phaseOf(state({ on_call: true }), 0), "on_call");
    assert.equal(statusText(state({ wrapup_until: 110 }), 100), "Wrap-up 10 s");
    assert.equal(phaseOf(state({ wrapup_until: 110 }), 111), "available");
  });
});
