import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callerLabel, clock, PopStore, routeLabel, secondsSince, withdrawNote } from "../src/live/pops";
import { backoffDelay, LiveSocket, type SocketLike } from "../src/live/socket";
import { TitleBlinker } from "../src/live/title";
import type { Card, LiveCall, PopMessage, ServerMessage } from "../src/types";

function call(linkedid: string, fields: Partial<LiveCall> = {}): LiveCall {
  return {
    linkedid,
    direction: "inbound",
    caller: "+421900123456",
    caller_name: "",
    callee: "100",
    number: "+421900123456",
    did: "100",
    queue: "sales",
    agents_rang: ["1001"],
    answered_by: null,
    disposition: null,
    started_at: "2024-05-10T10:00:00+00:00",
    answered_at: null,
    ended_at: null,
    wait_seconds: null,
    talk_seconds: null,
    transfers: [],
    ...fields,
  };
}

const JANA: Card = {
  phone: "+421900123456",
  contact: {
    id: 7, first_name: "Jana", last_name: "Nováková", full_name: "Jana Nováková", company: null, position: "", email: "", owner: null, status: "client",
    source: "manual", created_from_call_id: null, language: "", assignment_reason: "", phones: [], created_at: "2024-05-01T09:00:00+00:00", updated_at: "2024-05-01T09:00:00+00:00",
  },
  company: null,
  owner: null,
  last_calls: [],
  open_tasks: [],
  last_notes: [],
  other_matches: [],
};

function pop(type: PopMessage["type"], linkedid: string, card: Card | null = JANA, fields: Partial<LiveCall> = {}): PopMessage {
  return { type, linkedid, call: call(linkedid, fields), card };
}

describe("PopStore", () => {
  it("follows a call from ring to answered to ended", () => {
    const store = new PopStore();
    assert.deepEqual(store.apply(pop("ring", "a")).map((c) => c.kind), ["show"]);
    const [answered] = store.apply(pop("answered", "a"));
    assert.equal(answered?.kind === "show" && answered.pop.phase, "talking");
    assert.equal(answered?.kind === "show" && answered.phaseChanged, true);
    const [again] = store.apply(pop("answered", "a"));
    assert.equal(again?.kind === "show" && again.phaseChanged, false);
    store.apply(pop("ended", "a"));
    assert.equal(store.get("a")?.phase, "ended");
    // A late ring never turns a finished call back into a ringing one.
    assert.deepEqual(store.apply(pop("ring", "a")), []);
  });

  it("withdraws with a readable note and ignores unknown calls", () => {
    const store = new PopStore();
    store.apply(pop("ring", "a"));
    assert.deepEqual(store.apply({ type: "withdraw", linkedid: "a", reason: "answered by 1002" }), [
      { kind: "withdraw", linkedid: "a", reason: "Answered by 1002" },
    ]);
    assert.deepEqual(store.apply({ type: "withdraw", linkedid: "zzz", reason: "call abandoned" }), []);
    assert.equal(withdrawNote(""), "No longer ringing");
  });

  it("restores pops from a snapshot, drops calls that ended offline, keeps open wrap-ups", () => {
    const store = new PopStore();
    store.apply(pop("ring", "gone"));
    store.apply(pop("ended", "wrapping"));
    const snapshot: ServerMessage = { type: "snapshot", pops: [pop("ring", "new")] };
    const changes = store.apply(snapshot);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.kind === "show" ? c.pop.linkedid : c.linkedid]),
      [["remove", "gone"], ["show", "new"]],
    );
    assert.deepEqual(store.list().map((p) => p.linkedid).sort(), ["new", "wrapping"]);
  });

  it("remembers a card created for an unknown number and forgets dismissed pops", () => {
    const store = new PopStore();
    store.apply(pop("ring", "u", null));
    store.setCard("u", JANA);
    const [shown] = store.apply(pop("answered", "u", null));
    assert.equal(shown?.kind === "show" && shown.pop.card, JANA);
    assert.deepEqual(store.dismiss("u"), [{ kind: "remove", linkedid: "u" }]);
    assert.deepEqual(store.apply({ type: "snapshot", pops: [pop("ended", "u", null)] }), []);
  });
});

describe("pop helpers", () => {
  it("formats timers, callers and routes", () => {
    assert.equal(clock(0), "00:00");
    assert.equal(clock(75), "01:15");
    assert.equal(clock(3725), "1:02:05");
    assert.equal(secondsSince("2024-05-10T10:00:00Z", Date.parse("2024-05-10T10:01:05Z")), 65);
    assert.equal(secondsSince("2024-05-10T10:00:00Z", Date.parse("2024-05-10T09:00:00Z")), 0);
    assert.equal(callerLabel({ call: call("x"), card: JANA }), "Jana Nováková");
    assert.equal(callerLabel({ call: call("x", { caller_name: "ACME" }), card: null }), "ACME");
    assert.equal(callerLabel({ call: call("x"), card: null }), "+421900123456");
    assert.equal(routeLabel(call("x")), "Queue sales · DID 100");
    assert.equal(routeLabel(call("x", { queue: null, did: null })), "");
  });
});

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe("LiveSocket", () => {
  it("backs off exponentially with jitter, capped", () => {
    const mid = () => 0.5;
    assert.deepEqual([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 500, 15000, mid)), [500, 1000, 2000, 4000, 15000]);
    assert.equal(backoffDelay(0, 500, 15000, () => 0), 375);
    assert.equal(backoffDelay(0, 500, 15000, () => 1), 625);
  });

  it("authenticates in the first frame, reconnects after a drop and resets the backoff when live", () => {
    const sockets: FakeSocket[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const statuses: string[] = [];
    const messages: string[] = [];
    let authFailed = 0;
    const live = new LiveSocket({
      url: "ws://x/ws/agent",
      token: () => "tok",
      onMessage: (m) => messages.push(m.type),
      onStatus: (s) => statuses.push(s),
      onAuthFailed: () => (authFailed += 1),
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      random: () => 0.5,
      setTimer: (fn, ms) => timers.push({ fn, ms }),
      clearTimer: () => undefined,
    });
    live.start();
    sockets[0]!.open();
    assert.deepEqual(JSON.parse(sockets[0]!.sent[0]!), { type: "auth", token: "tok" });
    assert.equal(live.send({ type: "dismiss", linkedid: "a" }), false); // not live before hello
    sockets[0]!.receive({ type: "hello", login: "anna", extensions: ["1001"] });
    sockets[0]!.receive({ type: "snapshot", pops: [] });
    assert.equal(live.current, "live");
    assert.equal(live.send({ type: "dismiss", linkedid: "a" }), true);

    sockets[0]!.drop();
    assert.equal(live.current, "reconnecting");
    assert.equal(timers[0]!.ms, 500);
    timers[0]!.fn();
    sockets[1]!.drop();
    assert.equal(timers[1]!.ms, 1000);
    timers[1]!.fn();
    sockets[2]!.open();
    sockets[2]!.receive({ type: "hello", login: "anna", extensions: ["1001"] });
    sockets[2]!.drop(1008);
    assert.equal(authFailed, 1);
    assert.equal(timers[2]!.ms, 500); // live again: the backoff starts over
    assert.deepEqual(messages, ["hello", "snapshot", "hello"]);

    live.stop();
    assert.equal(live.current, "stopped");
    assert.deepEqual(statuses.slice(0, 2), ["connecting", "live"]);
  });
});

describe("TitleBlinker", () => {
  it("restores the page's own title, including one set while blinking", () => {
    const doc = { title: "CTI Bridge" };
    const blinker = new TitleBlinker(doc);
    blinker.set("☎ Ringing: Jana");
    assert.equal(doc.title, "☎ Ringing: Jana");
    blinker.set(null);
    assert.equal(doc.title, "CTI Bridge");
    doc.title = "Peter — CTI Bridge";
    blinker.set(null);
    assert.equal(doc.title, "Peter — CTI Bridge");
  });
});
