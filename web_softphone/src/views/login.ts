// Sign-in form. On success calls onLoggedIn(user); errors are shown in plain words.

import type { Api } from "../api";
import { h, icon } from "../dom";
import { formAlert, formValue, showAlert, showFieldErrors, textField } from "../components/form";
import { withBusy } from "../components/loading";
import { ApiError } from "../api";
import { ICONS } from "../icons";
import type { User } from "../types";
import { rememberChoice, setLanguage, t } from "../i18n";
import { languageMenu } from "./language";

export function renderLogin(app: HTMLElement, api: Api, onLoggedIn: (user: User) => void, notice?: string): void {
  const alert = formAlert();
  const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, h("span", null, t("login.sign_in")));
  const form = h(
    "form",
    { class: "login-form", novalidate: true, "aria-labelledby": "login-title" },
    h("div", { class: "brand brand-large" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, icon(ICONS.phone)), h("span", null, t("login.cti_bridge"))),
    h("h1", { id: "login-title" }, t("login.sign_in_to_the_agent")),
    alert,
    textField(t("login.login"), "login", { required: true, autocomplete: "username" }),
    textField(t("login.password"), "password", { type: "password", required: true, autocomplete: "current-password" }),
    button,
  );
  const menu = languageMenu((tag) => {
    rememberChoice(tag);
    setLanguage(tag);
    renderLogin(app, api, onLoggedIn, notice);
  });
  app.replaceChildren(h("main", { class: "login-page" }, form, menu));
  if (notice) showAlert(alert, notice);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const login = formValue(form, "login").trim();
    const password = formValue(form, "password");
    const missing: Record<string, string> = {};
    if (!login) missing.login = t("login.please_enter_your_login");
    if (!password) missing.password = t("login.please_enter_your_password");
    showAlert(alert, null);
    showFieldErrors(form, missing);
    if (Object.keys(missing).length) return;
    try {
      const user = await withBusy(button, t("login.signing_in"), () => api.login(login, password));
      onLoggedIn(user);
    } catch (err) {
      const message = err instanceof Error ? err.message : t("login.sign_in_failed");
      showAlert(alert, message);
      if (err instanceof ApiError && err.status === 401) {
        const pw = form.elements.namedItem("password");
        if (pw instanceof HTMLInputElement) {
          pw.value = "";
          pw.focus();
        }
      }
    }
  });
  (form.elements.namedItem("login") as HTMLInputElement | null)?.focus();
}
