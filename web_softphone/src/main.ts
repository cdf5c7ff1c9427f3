// Entry point: dist/app.js. Styles are bundled into dist/app.css.
import "./styles/app.css";
import { Api } from "./api";
import { App } from "./app";
import { useLanguage } from "./i18n";

const api = new Api();
// The language before anything is drawn: the signed-in user's (kept with the session), else
// this browser's choice or languages; App applies the server's answer after sign-in.
useLanguage(api.user?.language);
const root = document.getElementById("app");
if (root) {
  const app = new App(root, api);
  void app.start();
}
