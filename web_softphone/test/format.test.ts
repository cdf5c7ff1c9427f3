import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { debounce } from "../src/debounce";
import { callLook, cardName, contactName, formatDuration, formatWhen, initials, phoneDisplay, statusLabel } from "../src/format";
import { parseRoute, routeHash } from "../src/router";
import { normalizeTimeline } from "../src/components/timeline";

describe("format", () => {
  it("names contacts and cards", () => {
    assert.equal(contactName({ first_name: "Jana", last_name: "Nováková" }), "Jana Nováková");
    assert.equal(contactName({ first_name: "", last_name: "Horváth" }), "Horváth");
    assert.equal(cardName({ contact: null, company: { id: 1, name: "Acme" }, owner: null }), "Acme");
    assert.equal(initials("Jana Nováková"), "JN");
  });

  it("shows a grouped spelling, else E.164", () => {
    assert.equal(phoneDisplay({ e164: "+421900123456", raw: "+421 900 123 456" }), "+421 900 123 456");
    assert.equal(phoneDisplay({ e164: "+421900123456", raw: "0900123456" }), "+421900123456");
    assert.equal(phoneDisplay({ e164: null, raw: "ext 12" }), "ext 12");
  });

  it("describes calls with words as well as icons", () => {
    assert.deepEqual(callLook({ direction: "inbound", disposition: "answered" }), { icon: "phoneIncoming", direction: "Incoming", outcome: "answered", tone: "ok" });
    assert.equal(callLook({ direction: "inbound", disposition: "missed" }).icon, "phoneMissed");
    assert.equal(callLook({ direction: "outbound", disposition: "busy" }).outcome, "busy");
    assert.equal(callLook({ direction: "internal", disposition: null }).direction, "Internal");
  });

  it("formats durations and relative dates", () => {
    assert.equal(formatDuration(42), "42 s");
    assert.equal(formatDuration(75), "1 min 15 s");
    assert.equal(formatDuration(3720), "1 h 2 min");
    const now = new Date(2024, 4, 10, 15, 0);
    assert.match(formatWhen(new Date(2024, 4, 10, 9, 5).toISOString(), now, "en-GB"), /^Today 09:05$/);
    assert.match(formatWhen(new Date(2024, 4, 9, 9, 5).toISOString(), now, "en-GB"), /^Yesterday/);
    assert.equal(statusLabel("former"), "Former client");
  });
});

describe("router", () => {
  it("round-trips routes", () => {
    assert.deepEqual(parseRoute("#/contacts/12/edit?q=nov"), { name: "edit", id: 12, q: "nov" });
    assert.deepEqual(parseRoute(""), { name: "search", q: "" });
    assert.equal(routeHash({ name: "card", id: 3, q: "0900 1" }), "#/contacts/3?q=0900+1");
  });
});

describe("timeline", () => {
  it("keeps known kinds and their payloads", () => {
    const items = normalizeTimeline([
      { kind: "call", at: "2024-05-01T10:00:00Z", call: { id: 1, direction: "inbound", disposition: "answered", started_at: "2024-05-01T10:00:00Z" } },
      { kind: "note", at: "2024-04-01T10:00:00Z", note: { id: 2, body: "hi", created_at: "2024-04-01T10:00:00Z" } },
      { kind: "weird", at: "x" },
    ]);
    assert.deepEqual(items.map((i) => i.kind), ["call", "note"]);
  });
});

describe("debounce", () => {
  it("calls once with the last arguments", async () => {
    const calls: string[] = [];
    const d = debounce((s: string) => calls.push(s), 20);
    d("a");
    d("ab");
    d("abc");
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(calls, ["abc"]);
  });
});
