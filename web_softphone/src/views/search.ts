// As-you-type contact search: by name, company, email or any spelling of a phone number.
// Requests are debounced and the previous one is cancelled, so results never arrive out of order.

import { ApiError, type Api } from "../api";
import { debounce } from "../debounce";
import { h, icon } from "../dom";
import { contactName, phoneDisplay } from "../format";
import { ICONS } from "../icons";
import { spinner } from "../components/loading";
import type { Contact } from "../types";
import { t } from "../i18n";
import { createTranscriptSearch } from "./transcriptSearch";

export interface SearchView {
  element: HTMLElement;
  /** Mark the contact whose card is open. */
  setSelected(id: number | null): void;
  /** Set the query (from the URL) and search if it changed. */
  setQuery(q: string): void;
  /** Search again with the current query (after an edit). */
  refresh(): void;
  focus(): void;
}

const PAGE = 20;
const DEBOUNCE_MS = 250;

export function createSearchView(api: Api, hrefFor: (id: number, q: string) => string): SearchView {
  const inputId = "contact-search";
  const input = h("input", {
    id: inputId,
    type: "search",
    name: "q",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: t("search.name_company_email_phone"),
    "aria-describedby": "search-status",
    "aria-controls": "search-results",
  });
  const busy = h("span", { class: "search-busy", hidden: true }, spinner(t("search.searching")));
  const status = h("p", { id: "search-status", class: "search-status", role: "status", "aria-live": "polite" });
  const list = h("ul", { id: "search-results", class: "results", "aria-label": t("search.search_results") });
  const more = h("button", { type: "button", class: "btn btn-ghost btn-block", hidden: true }, t("search.show_more"));
  const said = createTranscriptSearch(api, hrefFor);
  const element = h(
    "div",
    { class: "search" },
    h(
      "form",
      { role: "search", class: "search-form", onsubmit: (ev: Event) => ev.preventDefault() },
      h("label", { for: inputId, class: "search-label" }, t("search.find_a_contact")),
      h("div", { class: "search-box" }, icon(ICONS.search), input, busy),
    ),
    status,
    list,
    more,
    said.element,
  );

  let query = "";
  let selected: number | null = null;
  let items: Contact[] = [];
  let total = 0;
  let controller: AbortController | null = null;

  const resultRow = (c: Contact): HTMLLIElement => {
    const name = contactName(c);
    const company = c.company?.name ?? "";
    const phones = c.phones ?? [];
    const a = h(
      "a",
      { class: "result", href: hrefFor(c.id, query), "data-contact-id": String(c.id), "aria-current": c.id === selected ? "true" : null },
      h("span", { class: "result-name" }, name),
      company || c.position ? h("span", { class: "result-company" }, [company, c.position].filter(Boolean).join(" · ")) : null,
      phones.length
        ? h(
            "span",
            { class: "result-phones mono" },
            phones.slice(0, 2).map(phoneDisplay).join(", "),
            phones.length > 2 ? ` +${phones.length - 2}` : "",
          )
        : null,
    );
    return h("li", null, a);
  };

  const draw = () => {
    list.replaceChildren(...items.map(resultRow));
    more.hidden = items.length >= total;
  };

  const run = async (q: string, append = false) => {
    if (!append) said.search(q);
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    busy.hidden = false;
    element.setAttribute("aria-busy", "true");
    try {
      const page = await api.searchContacts(q, PAGE, append ? items.length : 0, mine.signal);
      if (mine.signal.aborted) return;
      items = append ? items.concat(page.items) : page.items;
      total = page.total;
      draw();
      status.classList.remove("error");
      if (!total) {
        status.textContent = q ? t("search.no_contact_matches_q", { q }) : t("search.no_contacts_yet");
      } else if (q) {
        status.textContent = t("search.contacts_found", { count: total });
      } else {
        status.textContent = t("search.all_contacts_total", { total });
      }
    } catch (err) {
      if (mine.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return; // the app sends us to the login page
      items = [];
      total = 0;
      draw();
      status.classList.add("error");
      status.textContent = err instanceof Error ? err.message : t("search.the_search_failed");
    } finally {
      if (controller === mine) {
        busy.hidden = true;
        element.removeAttribute("aria-busy");
      }
    }
  };

  const debounced = debounce((q: string) => void run(q), DEBOUNCE_MS);

  const updateUrl = () => {
    // Keep the query in the address so reload/back keep it, without a new history entry per key.
    const url = new URL(window.location.href);
    const [path = "#/"] = url.hash.split("?");
    url.hash = query ? `${path}?${new URLSearchParams({ q: query }).toString()}` : path;
    history.replaceState(history.state, "", url);
    for (const a of list.querySelectorAll<HTMLAnchorElement>("a.result")) {
      a.href = hrefFor(Number(a.dataset.contactId), query);
    }
  };

  input.addEventListener("input", () => {
    query = input.value.trim();
    updateUrl();
    debounced(query);
  });

  const results = () => Array.from(list.querySelectorAll<HTMLAnchorElement>("a.result"));

  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      debounced.flush();
      results()[0]?.focus();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      debounced.flush();
      const first = results()[0];
      if (first && items.length) first.click();
    } else if (ev.key === "Escape" && input.value) {
      ev.preventDefault();
      input.value = "";
      query = "";
      updateUrl();
      debounced.cancel();
      void run("");
    }
  });

  list.addEventListener("keydown", (ev) => {
    const all = results();
    const i = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      all[Math.min(i + 1, all.length - 1)]?.focus();
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (i === 0) input.focus();
      else all[i - 1]?.focus();
    } else if (ev.key === "Escape") {
      input.focus();
    }
  });

  more.addEventListener("click", () => void run(query, true));

  return {
    element,
    setSelected(id) {
      selected = id;
      for (const a of results()) {
        if (Number(a.dataset.contactId) === id) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      }
    },
    setQuery(q) {
      if (q === query && (items.length || status.textContent)) return;
      query = q;
      input.value = q;
      debounced.cancel();
      void run(q);
    },
    refresh() {
      debounced.cancel();
      void run(query);
    },
    focus() {
      input.focus();
    },
  };
}
