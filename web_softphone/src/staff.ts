// One name for one person: the CRM user's display name behind each extension
// (GET /api/users/directory), read once after sign-in. Every page that names an agent by
// extension (a card's history, a pop's outcome, the supervisor's tables) asks here, so the
// same person reads the same everywhere: "Anna Horváthová (ext. 1001)".

import type { components } from "./generated/openapi";
import { t } from "./i18n";

/** GET /api/users/directory items. */
export type StaffName = components["schemas"]["StaffName"];

const names = new Map<string, StaffName>();

export function setStaff(entries: readonly StaffName[]): void {
  names.clear();
  for (const entry of entries) names.set(entry.extension, entry);
}

/** The CRM's name for the extension, or null when no user holds it. */
export function staffName(extension: string): string | null {
  const entry = names.get(extension);
  return entry ? entry.display_name || entry.login : null;
}

/** "Anna Horváthová (ext. 1001)"; "ext. 1001" for an extension no user holds. */
export function agentLabel(extension: string): string {
  const name = staffName(extension);
  return name ? t("staff.name_ext", { name, ext: extension }) : t("staff.ext", { ext: extension });
}
