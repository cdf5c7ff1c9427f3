import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shortcutFor, SHORTCUTS } from "../src/agent/shortcuts";
import { withdrawNote } from "../src/live/pops";
import { POP_VIEW_KEY, PopViewPrefs, type KeyValueStore } from "../src/live/popView";
import { agentLabel, setStaff, staffName } from "../src/staff";

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const key = (code: string, alt = true, extra: Partial<{ key: string; ctrlKey: boolean; shiftKey: boolean }> = {}) => ({
  key: extra.key ?? "",
  code,
  altKey: alt,
  ctrlKey: extra.ctrlKey ?? false,
  metaKey: false,
  shiftKey: extra.shiftKey ?? false,
});

describe("pop view prefs", () => {
  it("expanded by default, the last choice for the next pop, each pop its own", () => {
    const store = memory();
    const prefs = new PopViewPrefs(store);
    assert.equal(prefs.modeFor("a"), "expanded");
    prefs.set("a", "collapsed");
    assert.equal(prefs.modeFor("b"), "collapsed"); // the tab's choice
    prefs.set("b", "expanded");
    assert.equal(prefs.modeFor("a"), "collapsed");
    assert.equal(prefs.modeFor("c"), "expanded");
    // a reload reads the same store
    const again = new PopViewPrefs(store);
    assert.equal(again.modeFor("a"), "collapsed");
    again.forget("a");
    assert.equal(again.modeFor("a"), "expanded");
  });

  it("survives garbage and a store that throws", () => {
    const store = memory();
    store.data.set(POP_VIEW_KEY, "{not json");
    assert.equal(new PopViewPrefs(store).modeFor("x"), "expanded");
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    const prefs = new PopViewPrefs(broken);
    prefs.set("x", "collapsed");
    assert.equal(prefs.modeFor("x"), "collapsed");
  });
});

describe("shortcuts", () => {
  it("maps Alt+letter by physical key and / outside fields", () => {
    assert.equal(shortcutFor(key("KeyA"), false), "answer");
    assert.equal(shortcutFor(key("KeyH"), true), "hangUp"); // also while typing
    assert.equal(shortcutFor(key("KeyM"), false), "mute");
    assert.equal(shortcutFor(key("KeyO"), false), "hold");
    assert.equal(shortcutFor(key("KeyC"), false), "togglePops");
    assert.equal(shortcutFor(key("KeyS"), false), "search");
    assert.equal(shortcutFor(key("Slash", false, { key: "/" }), false), "search");
    assert.equal(shortcutFor(key("Slash", false, { key: "/" }), true), null); // typing a slash
    assert.equal(shortcutFor(key("KeyA", true, { ctrlKey: true }), false), null);
    assert.equal(shortcutFor(key("KeyA", true, { shiftKey: true }), false), null);
    assert.equal(shortcutFor(key("KeyA", false, { key: "a" }), false), null);
    assert.equal(new Set(SHORTCUTS().map((s) => s.code)).size, SHORTCUTS().length);
  });
});

describe("staff names", () => {
  it("names an extension by its CRM user, else by the extension", () => {
    setStaff([{ extension: "1001", user_id: 1, login: "anna", display_name: "Anna Horváthová" }]);
    assert.equal(staffName("1001"), "Anna Horváthová");
    assert.equal(agentLabel("1001"), "Anna Horváthová (ext. 1001)");
    assert.equal(agentLabel("1002"), "ext. 1002");
    assert.equal(staffName("1002"), null);
    assert.equal(withdrawNote("answered by 1001"), "Answered by Anna Horváthová (ext. 1001)");
    assert.equal(withdrawNote("transferred to 1002"), "Transferred to 1002");
  });
});
