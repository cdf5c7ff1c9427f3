import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDays, apiQuery, bucketLabel, defaultParams, periodProblem, shortBucket } from "../src/reports/model";
import { parseRoute, routeHash } from "../src/router";
import { alertsFor, clock, nextSort, percent, type QueueView, sortRows, thresholdsFor } from "../src/supervisor/model";

function queue(over: Partial<QueueView> = {}): QueueView {
  return {
    name: "sales", service_level_seconds: 20, waiting: 1, longest_wait: 10, callers: [],
    agents: { offline: 0, on_call: 0, ringing: 0, paused: 0, wrapup: 0, available: 2, logged_in: 2 },
    paused_reasons: [], offered: 4, answered: 3, abandoned: 1, timed_out: 0, sl: 0.9, sl2: null,
    abandon_rate: null, asa: 5, aht: 60, ...over,
  };
}

describe("supervisor model", () => {
  it("alerts when the longest wait, the service level or the paused agents cross a threshold", () => {
    const t = thresholdsFor({}, "sales");
    assert.deepEqual(alertsFor(queue(), t).worst, "ok");
    assert.equal(alertsFor(queue({ longest_wait: 50 }), t).wait, "warn");
    assert.equal(alertsFor(queue({ longest_wait: 50 }), t, 11).wait, "alert"); // it ticks
    assert.equal(alertsFor(queue({ waiting: 0, longest_wait: 500 }), t).wait, "ok");
    assert.equal(alertsFor(queue({ sl: 0.5 }), t).sl, "alert");
    assert.equal(alertsFor(queue({ sl: null }), t).sl, "ok");
    const paused = queue({ agents: { ...queue().agents, paused: 3 } });
    assert.equal(alertsFor(paused, t).paused, "alert");
    assert.equal(alertsFor(paused, thresholdsFor({ sales: { maxPaused: 5 } }, "sales")).paused, "ok");
  });

  it("sorts with nulls last and flips on a second click", () => {
    const rows = [{ v: 2 }, { v: null }, { v: 10 }];
    assert.deepEqual(sortRows(rows, (r) => r.v, "asc").map((r) => r.v), [2, 10, null]);
    assert.deepEqual(sortRows(rows, (r) => r.v, "desc").map((r) => r.v), [10, 2, null]);
    assert.deepEqual(nextSort({ key: "a", dir: "asc" }, "a"), { key: "a", dir: "desc" });
    assert.deepEqual(nextSort({ key: "a", dir: "asc" }, "b", "desc"), { key: "b", dir: "desc" });
  });

  it("formats clocks and percentages", () => {
    assert.equal(clock(75), "1:15");
    assert.equal(clock(3725), "1:02:05");
    assert.equal(clock(null), "—");
    assert.equal(percent(0.8123), "81 %");
    assert.equal(percent(null), "—");
  });

  it("routes the staff pages", () => {
    assert.deepEqual(parseRoute("#/wallboard"), { name: "wallboard", q: "" });
    assert.equal(routeHash({ name: "reports", q: "" }), "#/reports");
  });
});

describe("reports model", () => {
  it("asks for [from, to + 1 day) and refuses hours over 92 days", () => {
    const p = { ...defaultParams(new Date(2024, 2, 10)), queue: "sales" };
    assert.equal(p.from, "2024-03-04");
    assert.deepEqual(apiQuery(p), { from: "2024-03-04", to: "2024-03-11", bucket: "day", threshold: 20, tz: "UTC", queue: "sales" });
    assert.equal(addDays("2024-02-28", 2), "2024-03-01");
    assert.equal(periodProblem({ ...p, from: "2024-03-12" }), "The last day is before the first day.");
    assert.match(periodProblem({ ...p, from: "2023-01-01", bucket: "hour" }) ?? "", /92 days/);
    assert.equal(periodProblem({ ...p, bucket: "hour" }), null);
  });

  it("labels buckets", () => {
    assert.equal(shortBucket("2024-03-04T09:00", "hour", false), "09:00");
    assert.equal(shortBucket("2024-03-04T00:00", "day", true), "04.03");
    assert.equal(bucketLabel("2024-03-04T00:00", "week"), "Week of 2024-03-04");
  });
});
