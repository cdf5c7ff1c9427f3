// Entry point: dist/app.js. Styles are bundled into dist/app.css.
import "./styles/app.css";
import { Api } from "./api";
import { App } from "./app";

const root = document.getElementById("app");
if (root) {
  const app = new App(root, new Api());
  void app.start();
}
