// What can stop the browser phone, in words an agent understands. Pure: unit-tested in test/phone.test.ts.

export type ProblemKind = "microphone" | "no-microphone" | "certificate" | "password" | "unreachable" | "no-account" | "replaced" | "unsupported";

export interface Problem {
  kind: ProblemKind;
  /** One short line for the top bar. */
  short: string;
  /** What happened and what to do. */
  text: string;
  /** A page to open to fix it (the certificate). */
  link?: { href: string; label: string };
  /** "info": nothing is broken (a user without an extension): the chip stays neutral. */
  level?: "info";
}

/** The https page of a wss:// server: opening it lets the agent accept a self-signed certificate. */
export function certificatePage(wsUrl: string): string {
  return wsUrl.replace(/^wss:/, "https:");
}

/** getUserMedia failures: refused, or no microphone at all. */
export function microphoneProblem(err: unknown): Problem {
  const name = err && typeof err === "object" && "name" in err ? String((err as { name: unknown }).name) : "";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NotReadableError") {
    return {
      kind: "no-microphone",
      short: "No microphone",
      text: "No microphone was found (or another program is using it). Plug in your headset and press Try again. Call pop-ups still work.",
    };
  }
  if (name === "TypeError" || (name === "SecurityError" && !globalThis.isSecureContext)) {
    return {
      kind: "unsupported",
      short: "Phone not available",
      text: "This page cannot use a microphone: open it over https (or on this computer as localhost). Call pop-ups still work.",
    };
  }
  return {
    kind: "microphone",
    short: "Microphone blocked",
    text: "The browser refused the microphone. Allow the microphone for this site (the icon in the address bar), then press Try again. Call pop-ups still work.",
  };
}

/**
 * The phone server could not be reached. A wss:// server that never worked in this browser most
 * likely has a certificate the browser does not trust yet (browsers do not tell pages why a
 * secure connection failed); one that worked before, or a plain ws:// one, is unreachable.
 */
export function connectionProblem(url: string, everConnected: boolean): Problem {
  if (url.startsWith("wss:") && !everConnected) {
    return {
      kind: "certificate",
      short: "Certificate not trusted",
      text: "The phone server's security certificate is not trusted by this browser yet (or the server is down). Open the link below, accept the certificate, come back and press Try again.",
      link: { href: certificatePage(url), label: `Open ${certificatePage(url)}` },
    };
  }
  return {
    kind: "unreachable",
    short: "Phone server unreachable",
    text: "Cannot reach the phone server (Asterisk). Your network may be down or the server restarting; the phone keeps trying and registers again by itself.",
  };
}

/** A failed REGISTER, by JsSIP's cause and the SIP status. */
export function registrationProblem(cause: string | undefined, status?: number): Problem {
  if (cause === "Authentication Error" || status === 401 || status === 407 || status === 403 || cause === "Rejected") {
    return {
      kind: "password",
      short: "Wrong SIP password",
      text: "The phone server refused your extension's password. Ask your administrator to check the SIP password set for your extension (CTI_SIP_PASSWORDS).",
    };
  }
  return {
    kind: "unreachable",
    short: "Phone not registered",
    text: `The phone server did not accept the registration (${cause || "no answer"}). The phone keeps trying.`,
  };
}

export function accountProblem(status: number, message: string): Problem {
  if (status === 409) {
    return {
      kind: "no-account",
      short: "No extension",
      text: "Your user has no phone extension, so this browser is not a phone. Everything else works (pages, call pop-ups, live queues); a supervisor needs an extension only to listen in to calls. An admin can add one.",
      level: "info",
    };
  }
  // No SIP password for the extension: the agent works with a desk phone, which is normal.
  return {
    kind: "no-account",
    short: "Desk phone",
    text: `Calls ring your desk phone; clicking a number rings it first, then the client. The browser phone is not set up for you: ${message}`,
    level: "info",
  };
}

export const REPLACED: Problem = {
  kind: "replaced",
  short: "Phone in another tab",
  text: "Your extension is now registered in another tab or window (the newest one takes the calls). Press Use the phone here to move it back.",
};

/** "+421 900 123 456" -> "+421900123456"; what a dial string may hold. */
export function dialable(input: string): string {
  return input.replace(/[^0-9+*#]/g, "").replace(/(?!^)\+/g, "");
}
