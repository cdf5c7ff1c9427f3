import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { otherCalls, pauseBreakdown, type ReportRow } from "../src/reports/model";

function row(pause_reasons: Record<string, number> | null): ReportRow {
  return {
    key: "1001", label: "Anna", offered: null, answered: 2, abandoned: null, callback_requested: null, answered_within: 2,
    service_level: 1, abandon_wait: null, asa: 5, aht: 60, longest_wait: 9, talk_seconds: 120,
    pause_seconds: 0, pause_reasons, login_seconds: 3600, missed_callbacks: 0,
  };
}

describe("reports model", () => {
  it("lists pause time by reason, longest first, naming a pause without a reason", () => {
    assert.equal(pauseBreakdown(row({ break: 600, lunch: 1830, "": 75 })), "lunch 30:30 · break 10:00 · no reason 1:15");
  });

  it("counts a queue's other calls without those left for a call-back", () => {
    const queue = { ...row(null), offered: 10, abandoned: 2, callback_requested: 3 };
    assert.equal(otherCalls(queue), 3);
    assert.equal(otherCalls({ ...queue, callback_requested: null }), 6);
  });

  it("says nothing for an agent who did not pause or a report without pause time", () => {
    assert.equal(pauseBreakdown(row({ lunch: 0 })), "");
    assert.equal(pauseBreakdown(row(null)), "");
  });
});
