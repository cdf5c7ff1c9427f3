// Which browser-phone call a button or a shortcut acts on: the incoming call that rings, the
// call the agent talks on (not the held one when there are two), or one being dialled.

import type { PhoneCall } from "./softphone";

export function ringingCall(calls: readonly PhoneCall[]): PhoneCall | undefined {
  return calls.find((c) => c.state === "ringing" && c.direction === "incoming");
}

export function activeCall(calls: readonly PhoneCall[]): PhoneCall | undefined {
  const talking = calls.filter((c) => c.state === "talking");
  return talking.find((c) => !c.held) ?? talking[0] ?? calls.find((c) => c.state === "calling");
}
