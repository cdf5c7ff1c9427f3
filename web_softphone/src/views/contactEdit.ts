// The card's edit form: details (names, email, position, status), add a phone, add a note.
// Server validation errors (422) appear next to their fields; a phone that belongs to
// another card (409) is reported naming that card, with a link to it.

import { ApiError, type Api } from "../api";
import { h, icon, mount, uid } from "../dom";
import { contactName, PHONE_KIND_LABELS, phoneDisplay, phoneKindLabel, STATUS_LABELS } from "../format";
import { ICONS } from "../icons";
import { formAlert, formValue, selectField, showAlert, showFieldErrors, textareaField, textField } from "../components/form";
import { withBusy } from "../components/loading";
import type { Contact, ContactPatch, ContactStatus, PhoneKind } from "../types";
import { t } from "../i18n";

export interface EditCallbacks {
  /** Details saved: show the card. */
  onSaved(contact: Contact): void;
  onCancel(): void;
  /** A phone or a note was added (stay on the form). */
  onChanged(contact: Contact, message: string): void;
  /** Link to another card (named by a 409). */
  hrefFor(id: number): string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function section(title: string, ...content: Node[]): HTMLElement {
  const id = uid("sec");
  return h("section", { class: "panel edit-section", "aria-labelledby": id }, h("h3", { id, class: "panel-title" }, title), ...content);
}

/** Show an ApiError on a form: field errors next to fields, the rest in the alert. */
function showError(form: HTMLFormElement, alert: HTMLElement, err: unknown, hrefFor: (id: number) => string, aliases: Record<string, string> = {}): void {
  if (!(err instanceof ApiError)) {
    showAlert(alert, err instanceof Error ? err.message : t("contactEdit.something_went_wrong"));
    return;
  }
  const unplaced = showFieldErrors(form, err.fieldErrors, aliases);
  const message = unplaced.length ? `${err.message} ${unplaced.join(" ")}` : err.message;
  showAlert(alert, message);
  if (err.status === 409 && err.conflict?.id != null) {
    alert.append(" ", h("a", { href: hrefFor(err.conflict.id), class: "alert-link" }, t("contactEdit.open_name", { name: err.conflict.name })));
  }
}

export function renderContactEdit(container: HTMLElement, initial: Contact, api: Api, cb: EditCallbacks): void {
  let card = initial;
  const titleId = uid("edit-title");

  // ---- details ---------------------------------------------------------
  const detailsAlert = formAlert();
  const statusOptions = Object.entries(STATUS_LABELS()).map(([value, label]) => ({ value, label }));
  if (card.status && !STATUS_LABELS()[card.status]) statusOptions.push({ value: card.status, label: card.status });
  const saveButton = h("button", { type: "submit", class: "btn btn-primary" }, icon(ICONS.check), h("span", null, t("contactEdit.save_changes")));
  const detailsForm = h(
    "form",
    { class: "edit-form", novalidate: true, "aria-label": t("contactEdit.contact_details") },
    detailsAlert,
    h(
      "div",
      { class: "field-grid" },
      textField(t("contactEdit.first_name"), "first_name", { value: card.first_name ?? "", autocomplete: "off", maxlength: 100 }),
      textField(t("contactEdit.last_name"), "last_name", { value: card.last_name ?? "", autocomplete: "off", maxlength: 100 }),
      textField(t("contactEdit.email"), "email", { type: "email", value: card.email ?? "", inputmode: "email", maxlength: 254 }),
      textField(t("contactEdit.position"), "position", { value: card.position ?? "", maxlength: 100 }),
      selectField(t("contactEdit.status"), "status", statusOptions, card.status ?? "lead"),
    ),
    h(
      "div",
      { class: "form-actions" },
      saveButton,
      h("button", { type: "button", class: "btn btn-ghost", onclick: () => cb.onCancel() }, t("contactEdit.cancel")),
    ),
  );

  detailsForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showAlert(detailsAlert, null);
    const values = {
      first_name: formValue(detailsForm, "first_name").trim(),
      last_name: formValue(detailsForm, "last_name").trim(),
      email: formValue(detailsForm, "email").trim(),
      position: formValue(detailsForm, "position").trim(),
      status: formValue(detailsForm, "status") as ContactStatus,
    };
    const errors: Record<string, string> = {};
    if (!values.first_name && !values.last_name) errors.last_name = t("contactEdit.please_enter_a_first_or");
    if (values.email && !EMAIL_RE.test(values.email)) errors.email = t("contactEdit.please_enter_a_valid_email");
    showFieldErrors(detailsForm, errors);
    if (Object.keys(errors).length) {
      showAlert(detailsAlert, t("contactEdit.please_correct_the_highlighted_fields"));
      return;
    }
    const patch: ContactPatch = {};
    if (values.first_name !== card.first_name) patch.first_name = values.first_name;
    if (values.last_name !== card.last_name) patch.last_name = values.last_name;
    if (values.position !== card.position) patch.position = values.position;
    if (values.status !== card.status) patch.status = values.status;
    // An empty email is sent as null: the server clears it (an empty string is not an address).
    if (values.email !== (card.email ?? "")) patch.email = values.email || null;
    if (!Object.keys(patch).length) {
      cb.onSaved(card);
      return;
    }
    try {
      card = await withBusy(saveButton, t("contactEdit.saving"), () => api.updateContact(card.id, patch));
      cb.onSaved(card);
    } catch (err) {
      showError(detailsForm, detailsAlert, err, cb.hrefFor);
    }
  });

  // ---- phones ----------------------------------------------------------
  const phoneList = h("ul", { class: "phones", "aria-label": t("contactEdit.phone_numbers") });
  const drawPhones = () => {
    mount(
      phoneList,
      card.phones.length
        ? card.phones.map((p) =>
            h("li", { class: "phone" }, icon(ICONS.phone), h("span", { class: "mono" }, phoneDisplay(p)), phoneKindLabel(p) ? h("span", { class: "tag" }, phoneKindLabel(p)) : null),
          )
        : h("li", { class: "empty" }, t("contactEdit.no_phone_number_yet")),
    );
  };
  drawPhones();

  const phoneAlert = formAlert();
  const addPhoneButton = h("button", { type: "submit", class: "btn" }, icon(ICONS.plus), h("span", null, t("contactEdit.add_phone")));
  const kindOptions = Object.entries(PHONE_KIND_LABELS()).map(([value, label]) => ({ value, label }));
  const phoneForm = h(
    "form",
    { class: "edit-form inline-form", novalidate: true, "aria-label": t("contactEdit.add_a_phone_number") },
    phoneAlert,
    h(
      "div",
      { class: "field-row" },
      textField(t("contactEdit.phone_number"), "number", { type: "tel", inputmode: "tel", autocomplete: "off", hint: t("contactEdit.any_spelling_421_900_123"), maxlength: 64 }),
      selectField(t("contactEdit.type"), "kind", kindOptions, "mobile"),
      h("div", { class: "field field-button" }, addPhoneButton),
    ),
  );
  phoneForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showAlert(phoneAlert, null);
    const raw = formValue(phoneForm, "number").trim();
    const kind = formValue(phoneForm, "kind") as PhoneKind;
    const digits = raw.replace(/\D/g, "");
    const errors: Record<string, string> = {};
    if (!raw) errors.number = t("contactEdit.please_enter_a_phone_number");
    else if (digits.length < 3) errors.number = t("contactEdit.a_phone_number_needs_at");
    showFieldErrors(phoneForm, errors);
    if (Object.keys(errors).length) return;
    try {
      await withBusy(addPhoneButton, t("contactEdit.adding"), async () => {
        await api.addPhone(card.id, { number: raw, kind });
        card = await api.getContact(card.id);
      });
      drawPhones();
      (phoneForm.elements.namedItem("number") as HTMLInputElement).value = "";
      cb.onChanged(card, t("contactEdit.phone_number_added"));
    } catch (err) {
      showError(phoneForm, phoneAlert, err, cb.hrefFor, { raw: "number", e164: "number", phone: "number" });
    }
  });

  // ---- note ------------------------------------------------------------
  const noteAlert = formAlert();
  const addNoteButton = h("button", { type: "submit", class: "btn" }, icon(ICONS.plus), h("span", null, t("contactEdit.add_note")));
  const noteForm = h(
    "form",
    { class: "edit-form", novalidate: true, "aria-label": t("contactEdit.add_a_note") },
    noteAlert,
    textareaField(t("contactEdit.note"), "body", { rows: 3, placeholder: t("contactEdit.what_was_agreed_what_to") }),
    h("div", { class: "form-actions" }, addNoteButton),
  );
  noteForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showAlert(noteAlert, null);
    const body = formValue(noteForm, "body").trim();
    showFieldErrors(noteForm, body ? {} : { body: t("contactEdit.please_write_the_note_first") });
    if (!body) return;
    try {
      await withBusy(addNoteButton, t("contactEdit.saving"), () => api.addNote(card.id, body));
      (noteForm.elements.namedItem("body") as HTMLTextAreaElement).value = "";
      showAlert(noteAlert, t("contactEdit.note_added"), "success");
      cb.onChanged(card, t("contactEdit.note_added"));
    } catch (err) {
      showError(noteForm, noteAlert, err, cb.hrefFor);
    }
  });

  const page = h(
    "div",
    { class: "edit-page" },
    h(
      "header",
      { class: "edit-head" },
      h("a", { class: "btn btn-ghost", href: cb.hrefFor(card.id) }, icon(ICONS.back), h("span", null, t("contactEdit.back_to_the_card"))),
      h("h2", { id: titleId }, t("contactEdit.edit_value", { value: contactName(card) })),
    ),
    section(t("contactEdit.details"), detailsForm),
    section(t("contactEdit.phone_numbers"), phoneList, phoneForm),
    section(t("contactEdit.notes"), noteForm),
  );
  page.setAttribute("aria-labelledby", titleId);
  mount(container, page);
  (detailsForm.elements.namedItem("first_name") as HTMLInputElement | null)?.focus();
}
