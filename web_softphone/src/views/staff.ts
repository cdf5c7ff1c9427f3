// The full-width pages inside the signed-in shell: the agent's call-backs (#/callbacks, everyone),
// the rotation (#/rotation, everyone: cards nobody contacted for N days),
// the supervisors' pages (#/supervisor, #/wallboard, #/reports, #/leads, #/keywords) and the admins'
// (#/dead-letters, #/wrapup-codes):
// they take the whole workspace (the search column is hidden, `shell.root[data-view]`), and the
// top bar gets their links for the roles they are for only (staffNav). One page at a time; it is
// torn down when the route changes or the shell goes away (sign-out).

import { h } from "../dom";
import { renderCallbacksPage } from "./callbacks";
import { renderDeadLetters } from "./deadLetters";
import { renderKeywordRules } from "./keywordRules";
import { renderLeadRules } from "./leadRules";
import type { Route } from "../router";
import type { User } from "../types";
import { renderReports } from "./reports";
import { renderRotation } from "./rotation";
import type { Shell } from "./shell";
import { renderSupervisor, type StaffView, type StaffViewContext } from "./supervisor";
import { renderWallboard } from "./wallboard";
import { renderWrapupAdmin } from "./wrapupAdmin";
import { t } from "../i18n";

export const STAFF_ROLES = ["supervisor", "admin"];
export const ADMIN_ROLES = ["admin"];
const PAGES = () => ({
  supervisor: { title: t("staff.live_queues"), render: renderSupervisor, roles: STAFF_ROLES },
  wallboard: { title: t("staff.wallboard"), render: renderWallboard, roles: STAFF_ROLES },
  reports: { title: t("staff.reports"), render: renderReports, roles: STAFF_ROLES },
  "dead-letters": { title: t("staff.dead_letters"), render: renderDeadLetters, roles: ADMIN_ROLES },
  "wrapup-codes": { title: t("staff.wrapup_codes"), render: renderWrapupAdmin, roles: ADMIN_ROLES },
  leads: { title: t("staff.lead_distribution"), render: null, roles: STAFF_ROLES },
  keywords: { title: t("staff.keywords_page"), render: null, roles: STAFF_ROLES },
  callbacks: { title: t("staff.call_backs"), render: null, roles: null },
  rotation: { title: t("staff.rotation"), render: renderRotation, roles: null },
}) as const;
type PageName = keyof ReturnType<typeof PAGES>;
export type StaffRoute = Extract<Route, { name: PageName }>;

export function isStaff(user: User | null): boolean {
  return !!user && STAFF_ROLES.includes(user.role);
}

/** The top bar's links: contacts and call-backs for everyone, the staff pages for staff. The
 * pages used less often sit in a "More" menu, so the bar fits a laptop without scrolling. */
export function staffNav(user: User): HTMLElement | null {
  const link = (href: string, label: string, name: string) => h("a", { href, class: "nav-link", "data-nav": name }, label);
  const mine = [link("#/", t("staff.contacts"), "search"), link("#/callbacks", t("staff.call_backs"), "callbacks"), link("#/rotation", t("staff.rotation"), "rotation")];
  if (!isStaff(user)) return h("nav", { class: "staff-nav", "aria-label": t("staff.pages") }, mine);
  const admin = user.role === "admin" ? [link("#/wrapup-codes", t("staff.wrapup_codes"), "wrapup-codes"), link("#/dead-letters", t("staff.dead_letters"), "dead-letters")] : [];
  const [contacts, callbacks, rotation] = mine;
  const more = moreMenu([rotation!, link("#/wallboard", t("staff.wallboard"), "wallboard"), link("#/leads", t("staff.leads"), "leads"), link("#/keywords", t("staff.keywords"), "keywords"), ...admin]);
  return h("nav", { class: "staff-nav", "aria-label": t("staff.supervisor_pages") }, contacts, callbacks, link("#/supervisor", t("staff.live_queues"), "supervisor"), link("#/reports", t("staff.reports"), "reports"), more);
}

function moreMenu(links: HTMLAnchorElement[]): HTMLDetailsElement {
  const menu = h("details", { class: "nav-more" }, h("summary", { class: "nav-link" }, t("staff.more")), h("div", { class: "nav-more-list" }, links));
  const close = () => menu.removeAttribute("open");
  for (const a of links) a.addEventListener("click", close);
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      close();
      menu.querySelector("summary")?.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target as Node)) close();
  });
  return menu;
}

let current: { name: PageName; view: StaffView; root: HTMLElement } | null = null;
let watchdog: ReturnType<typeof setInterval> | undefined;

function stop(): void {
  current?.view.destroy();
  current = null;
  if (watchdog) clearInterval(watchdog);
  watchdog = undefined;
}

function markNav(shell: Shell, name: string): void {
  for (const a of shell.root.querySelectorAll<HTMLAnchorElement>("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const more = shell.root.querySelector<HTMLElement>(".nav-more");
  if (more) more.dataset.current = String(!!more.querySelector("[aria-current]"));
}

/**
 * Show a staff page for `route` and return true, or tear down any staff page and return false
 * (the caller renders its own page). Agents asking for a staff page get a plain refusal.
 */
export function renderStaffPage(route: Route, shell: Shell, ctx: StaffViewContext, user: User | null): route is StaffRoute {
  const name = route.name in PAGES() ? (route.name as PageName) : null;
  markNav(shell, name ?? "search");
  if (!name) {
    stop();
    delete shell.root.dataset.view;
    return false;
  }
  shell.root.dataset.view = name;
  document.title = t("staff.value_cti_bridge", { value: PAGES()[name].title });
  if (current?.name === name && current.root.isConnected && shell.cardPane.contains(current.root)) return true;
  stop();
  const roles: readonly string[] | null = PAGES()[name].roles;
  if (roles && !(user && roles.includes(user.role))) {
    const admins = roles === ADMIN_ROLES;
    shell.cardPane.replaceChildren(h("div", { class: "placeholder error" }, h("h2", null, admins ? t("staff.for_admins") : t("staff.for_supervisors")), h("p", { role: "alert" }, admins ? t("staff.this_page_is_for_admins") : t("staff.this_page_is_for_supervisors"))));
    return true;
  }
  const root = h("div", { class: "staff-root" });
  shell.cardPane.replaceChildren(root);
  const render = PAGES()[name].render;
  const view = render ? render(root, ctx) : name === "leads" ? renderLeadRules(root, ctx, user) : name === "keywords" ? renderKeywordRules(root, ctx, user) : renderCallbacksPage(root, ctx.hrefForContact, (message) => shell.toast(message));
  current = { name, view, root };
  watchdog = setInterval(() => {
    if (!root.isConnected) stop();
  }, 2000);
  return true;
}
