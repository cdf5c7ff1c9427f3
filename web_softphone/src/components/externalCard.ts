// The other CRM's card on a screen-pop (CTI_LOOKUP_URL, README "External card lookup"): the
// name, company and owner it knows, and "Open in <CRM>" to the client there. Marked as coming
// from that CRM; the local card (when there is one) follows it in the pop.

import { h, icon } from "../dom";
import { ICONS } from "../icons";
import { agentLabel } from "../staff";
import type { ExternalCard } from "../types";
import { t } from "../i18n";

/** Only http(s) links open (the bridge checks the same; a page never trusts a foreign URL). */
export function safeLink(link: string): string | null {
  return /^https?:\/\/\S+$/i.test(link) ? link : null;
}

export function externalCard(card: ExternalCard): HTMLElement {
  const crm = card.crm || t("externalCard.the_other_crm");
  const link = safeLink(card.link);
  return h(
    "section",
    { class: "ext-card", "data-testid": "pop-external", "aria-label": t("externalCard.card_from_crm", { crm }) },
    h("p", { class: "ext-source" }, icon(ICONS.company), h("span", null, t("externalCard.from_crm", { crm }))),
    h("h3", { class: "ext-name", "data-testid": "external-name" }, card.name),
    card.company ? h("p", { class: "ext-company", "data-testid": "external-company" }, card.company) : null,
    card.owner_extension ? h("p", { class: "ext-owner", "data-testid": "external-owner" }, t("externalCard.owner_value", { value: agentLabel(card.owner_extension) })) : null,
    link
      ? h("a", { class: "btn btn-small ext-open", href: link, target: "_blank", rel: "noopener noreferrer", "data-testid": "external-link" }, h("span", null, t("externalCard.open_in_crm", { crm })), icon(ICONS.back, "icon flip"))
      : null,
  );
}
