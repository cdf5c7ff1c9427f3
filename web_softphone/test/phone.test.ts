import assert from "node:assert/strict";
import { test } from "node:test";
import { certificatePage, connectionProblem, dialable, microphoneProblem, registrationProblem } from "../src/phone/problems";

test("a wss server that never connected is probably an untrusted certificate", () => {
  const p = connectionProblem("wss://pbx.example:8089/ws", false);
  assert.equal(p.kind, "certificate");
  assert.equal(p.link?.href, "https://pbx.example:8089/ws");
  assert.equal(connectionProblem("wss://pbx.example:8089/ws", true).kind, "unreachable");
  assert.equal(connectionProblem("ws://127.0.0.1:8088/ws", false).kind, "unreachable");
  assert.equal(certificatePage("wss://h:8089/ws"), "https://h:8089/ws");
});

test("registration failures in words", () => {
  assert.equal(registrationProblem("Authentication Error", 401).short, "Wrong SIP password");
  assert.equal(registrationProblem("Rejected", 403).kind, "password");
  assert.equal(registrationProblem("Request Timeout").kind, "unreachable");
});

test("microphone errors", () => {
  assert.equal(microphoneProblem({ name: "NotAllowedError" }).kind, "microphone");
  assert.equal(microphoneProblem({ name: "NotFoundError" }).kind, "no-microphone");
});

test("dialable numbers from a card", () => {
  assert.equal(dialable("+421 900 123 456"), "+421900123456");
  assert.equal(dialable("00420 (601) 000-001"), "00420601000001");
  assert.equal(dialable("1002"), "1002");
  assert.equal(dialable("12+3"), "123");
});
