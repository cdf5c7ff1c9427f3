import { t } from "../i18n";
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
      short: t("problems.no_microphone"),
      text: t("problems.no_microphone_was_found_or"),
    };
  }
  if (name === "TypeError" || (name === "SecurityError" && !globalThis.isSecureContext)) {
    return {
      kind: "unsupported",
      short: t("problems.phone_not_available"),
      text: t("problems.this_page_cannot_use_a"),
    };
  }
  return {
    kind: "microphone",
    short: t("problems.microphone_blocked"),
    text: t("problems.the_browser_refused_the_microphone"),
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
      short: t("problems.certificate_not_trusted"),
      text: t("problems.the_phone_server_s_security"),
      link: { href: certificatePage(url), label: t("problems.open_value", { value: certificatePage(url) }) },
    };
  }
  return {
    kind: "unreachable",
    short: t("problems.phone_server_unreachable"),
    text: t("problems.cannot_reach_the_phone_server"),
  };
}

/** A failed REGISTER, by JsSIP's cause and the SIP status. */
export function registrationProblem(cause: string | undefined, status?: number): Problem {
  // JsSIP's causes: i18n-ignore
  if (cause === "Authentication Error" || status === 401 || status === 407 || status === 403 || cause === "Rejected") {
    return {
      kind: "password",
      short: t("problems.wrong_sip_password"),
      text: t("problems.the_phone_server_refused_your"),
    };
  }
  return {
    kind: "unreachable",
    short: t("problems.phone_not_registered"),
    text: t("problems.the_phone_server_did_not", { value: cause || t("problems.no_answer") }),
  };
}

export function accountProblem(status: number, message: string): Problem {
  if (status === 409) {
    return {
      kind: "no-account",
      short: t("problems.no_extension"),
      text: t("problems.your_user_has_no_phone"),
      level: "info",
    };
  }
  // No SIP password for the extension: the agent works with a desk phone, which is normal.
  return {
    kind: "no-account",
    short: t("problems.desk_phone"),
    text: t("problems.calls_ring_your_desk_phone", { message }),
    level: "info",
  };
}

export const REPLACED = (): Problem => ({
  kind: "replaced",
  short: t("problems.phone_in_another_tab"),
  text: t("problems.your_extension_is_now_registered"),
});

/** "+421 900 123 456" -> "+421900123456"; what a dial string may hold. */
export function dialable(input: string): string {
  return input.replace(/[^0-9+*#]/g, "").replace(/(?!^)\+/g, "");
}
