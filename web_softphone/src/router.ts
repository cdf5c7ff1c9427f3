// Hash routes, so the static server needs no rewrite rules:
//   #/                     search
//   #/?q=novak             search with a query
//   #/contacts/12          a card
//   #/contacts/12/edit     the card's edit form
//   #/supervisor, #/wallboard, #/reports   supervisors' pages (views/staff.ts)
//   #/callbacks            the agent's call-backs and calendar (views/staff.ts too)
//   #/rotation             cards nobody contacted for N days, with bulk actions (views/staff.ts too)
//   #/leads                supervisors and admins: lead rules and reassignment (views/leadRules.ts)
//   #/keywords             supervisors and admins: transcript keyword rules, transcription backlog
//   #/dead-letters         admins: webhook deliveries given up on, to replay (views/staff.ts too)
//   #/wrapup-codes         admins: wrap-up codes per queue and each queue's rule (views/wrapupAdmin.ts)
// Later: #/pop/<call-id> for a live screen-pop.

export type Route =
  | { name: "search"; q: string }
  | { name: "card"; id: number; q: string }
  | { name: "edit"; id: number; q: string }
  | { name: "supervisor" | "wallboard" | "reports" | "callbacks" | "rotation" | "dead-letters" | "leads" | "wrapup-codes" | "keywords"; q: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const [path = "", query = ""] = raw.split("?", 2);
  const q = new URLSearchParams(query).get("q") ?? "";
  const parts = path.split("/").filter(Boolean);
  if (parts[0] === "contacts" && parts[1] && /^\d+$/.test(parts[1])) {
    const id = Number(parts[1]);
    if (parts[2] === "edit") return { name: "edit", id, q };
    return { name: "card", id, q };
  }
  if (parts[0] === "supervisor" || parts[0] === "wallboard" || parts[0] === "reports" || parts[0] === "callbacks" || parts[0] === "rotation" || parts[0] === "dead-letters" || parts[0] === "leads" || parts[0] === "wrapup-codes" || parts[0] === "keywords") return { name: parts[0], q: "" };
  return { name: "search", q };
}

export function routeHash(route: Route): string {
  const qs = route.q ? `?${new URLSearchParams({ q: route.q }).toString()}` : "";
  switch (route.name) {
    case "search":
      return `#/${qs}`;
    case "card":
      return `#/contacts/${route.id}${qs}`;
    case "edit":
      return `#/contacts/${route.id}/edit${qs}`;
    default:
      return `#/${route.name}`;
  }
}
