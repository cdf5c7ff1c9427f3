import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "../src/api";
import { accountProblem } from "../src/phone/problems";
import { agentLabel, spyMessage, spyProblem } from "../src/supervisor/spy";

describe("listen / whisper / barge", () => {
  it("says whose call it is and which phone rings", () => {
    const who = agentLabel({ extension: "1001", name: "Anna" });
    assert.equal(who, "Anna (1001)");
    assert.equal(spyMessage({ agent: "1001", mode: "listen", linkedid: "x", ringing: "1004" }, who), "Listening to Anna (1001) — your phone 1004 rings: answer it to start.");
    assert.match(spyMessage({ agent: "1001", mode: "whisper", linkedid: "x", ringing: "1004" }, "1001"), /^Whispering to 1001 \(only the agent hears you\)/);
  });

  it("says why not in the server's words", () => {
    const err = new ApiError(409, "Extension 1002 is not on a call now.");
    assert.equal(spyProblem("barge", "1002", err), "Could not join the call of 1002: Extension 1002 is not on a call now.");
    assert.equal(agentLabel({ extension: "1002", name: "1002" }), "1002");
  });
});

describe("a supervisor without an extension", () => {
  it("is told calmly that only listening in needs one", () => {
    const problem = accountProblem(409, "no extension");
    assert.equal(problem.level, "info");
    assert.match(problem.text, /needs an extension only to listen in/);
    const desk = accountProblem(404, "no SIP password is configured for extension 1001");
    assert.equal(desk.short, "Desk phone");
    assert.match(desk.text, /ring your desk phone/);
  });
});
