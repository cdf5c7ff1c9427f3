// Small SVG charts, no library: stacked bars over time, a line with a target, horizontal bars.
// Each returns a <figure> holding an <svg> (viewBox-scaled to the container's width) and a legend;
// bars and points carry <title> tooltips. Colours come from CSS classes (styles/supervisor.css).

import { h } from "../dom";
import { t } from "../i18n";

const NS = "http://www.w3.org/2000/svg";

export interface Series {
  name: string;
  /** CSS class for the fill / stroke, e.g. "c-answered". */
  cls: string;
}

export interface StackedPoint {
  label: string;
  values: number[];
}

export interface LinePoint {
  label: string;
  value: number | null;
}

export interface BarRow {
  label: string;
  value: number;
  note?: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

function title(text: string): SVGTitleElement {
  const titleEl = svg("title");
  titleEl.textContent = text;
  return titleEl;
}

function text(x: number, y: number, content: string, cls: string, anchor = "middle"): SVGTextElement {
  const label = svg("text", { x, y, class: cls, "text-anchor": anchor });
  label.textContent = content;
  return label;
}

/** A "nice" axis maximum and step: 0, 5, 10 … or 0, 20, 40 … */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 / ticks };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { max: Math.ceil(max / step) * step, step };
}

/** Every n-th label so that at most `max` show. */
function labelEvery(count: number, max: number): number {
  return Math.max(1, Math.ceil(count / max));
}

function legend(series: Series[]): HTMLElement {
  return h(
    "figcaption",
    { class: "chart-legend" },
    series.map((s) => h("span", { class: "chart-key" }, h("span", { class: `chart-swatch ${s.cls}` }), s.name)),
  );
}

const W = 720;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 34 };

function frame(yMax: number, step: number, format: (v: number) => string): SVGGElement {
  const g = svg("g", { class: "chart-grid" });
  const inner = H - PAD.top - PAD.bottom;
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const y = PAD.top + inner - (v / yMax) * inner;
    g.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y }), text(PAD.left - 6, y + 4, format(v), "chart-tick", "end"));
  }
  return g;
}

function xLabels(labels: string[], x: (i: number) => number, short: (l: string) => string): SVGGElement {
  const g = svg("g", { class: "chart-x" });
  const every = labelEvery(labels.length, 12);
  labels.forEach((l, i) => {
    if (i % every === 0) g.append(text(x(i), H - PAD.bottom + 18, short(l), "chart-tick"));
  });
  return g;
}

export interface ChartOptions {
  caption: string;
  /** How an x label is shown under the axis (full labels stay in the tooltips). */
  shortLabel?: (label: string) => string;
  format?: (v: number) => string;
}

export function stackedBars(points: StackedPoint[], series: Series[], opts: ChartOptions): HTMLElement {
  const short = opts.shortLabel ?? ((l: string) => l);
  const fmt = opts.format ?? ((v: number) => String(Math.round(v)));
  const totals = points.map((p) => p.values.reduce((a, b) => a + b, 0));
  const { max, step } = niceScale(Math.max(0, ...totals));
  const inner = { w: W - PAD.left - PAD.right, h: H - PAD.top - PAD.bottom };
  const slot = inner.w / Math.max(1, points.length);
  const barW = Math.max(1, Math.min(40, slot * 0.72));
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const bars = svg("g", { class: "chart-bars" });
  points.forEach((p, i) => {
    let base = 0;
    p.values.forEach((v, s) => {
      if (v <= 0) return;
      const y0 = PAD.top + inner.h - (base / max) * inner.h;
      const hgt = (v / max) * inner.h;
      base += v;
      bars.append(svg("rect", { x: x(i) - barW / 2, y: y0 - hgt, width: barW, height: Math.max(0.5, hgt), class: series[s]?.cls ?? "" }, title(`${p.label} · ${series[s]?.name ?? ""}: ${fmt(v)}`)));
    });
  });
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": opts.caption }, frame(max, step, fmt), bars, xLabels(points.map((p) => p.label), x, short));
  return h("figure", { class: "chart-figure", "data-chart": "stacked" }, h("div", { class: "chart-title" }, opts.caption), chart, legend(series));
}

export function lineChart(points: LinePoint[], opts: ChartOptions & { max?: number; target?: number | null; cls?: string; seriesName?: string }): HTMLElement {
  const short = opts.shortLabel ?? ((l: string) => l);
  const fmt = opts.format ?? ((v: number) => String(Math.round(v)));
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  const { max, step } = opts.max !== undefined ? { max: opts.max, step: opts.max / 4 } : niceScale(Math.max(0, ...values));
  const inner = { w: W - PAD.left - PAD.right, h: H - PAD.top - PAD.bottom };
  const slot = inner.w / Math.max(1, points.length);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + inner.h - (Math.min(v, max) / max) * inner.h;
  const g = svg("g", { class: `chart-line ${opts.cls ?? ""}` });
  const parts: string[] = [];
  let pen = "M";
  points.forEach((p, i) => {
    if (p.value === null) {
      pen = "M";
      return;
    }
    parts.push(`${pen}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
    pen = "L";
  });
  g.append(svg("path", { d: parts.join(" ") }));
  points.forEach((p, i) => {
    if (p.value !== null) g.append(svg("circle", { cx: x(i), cy: y(p.value), r: points.length > 60 ? 1.5 : 3 }, title(`${p.label}: ${fmt(p.value)}`)));
  });
  const target = opts.target ?? null;
  const targetLine = target === null ? null : svg("g", { class: "chart-target" }, svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(target), y2: y(target) }), text(W - PAD.right - 4, y(target) - 5, t("chart.target_value", { value: fmt(target) }), "chart-tick", "end"));
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": opts.caption }, frame(max, step, fmt), targetLine, g, xLabels(points.map((p) => p.label), x, short));
  const series = [{ name: opts.seriesName ?? opts.caption, cls: opts.cls ?? "" }];
  return h("figure", { class: "chart-figure", "data-chart": "line" }, h("div", { class: "chart-title" }, opts.caption), chart, legend(series));
}

export function horizontalBars(rows: BarRow[], opts: ChartOptions & { cls?: string }): HTMLElement {
  const fmt = opts.format ?? ((v: number) => String(Math.round(v)));
  const wide = 1200;
  const rowH = 30;
  const labelW = 220;
  const height = Math.max(1, rows.length) * rowH + 8;
  const { max } = niceScale(Math.max(0, ...rows.map((r) => r.value)));
  const width = wide - labelW - 80;
  const g = svg("g", { class: "chart-bars" });
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = (r.value / max) * width;
    g.append(
      text(labelW - 8, y + rowH / 2 + 4, r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label, "chart-label", "end"),
      svg("rect", { x: labelW, y: y + 4, width: Math.max(r.value > 0 ? 2 : 0, w), height: rowH - 8, rx: 3, class: opts.cls ?? "c-answered" }, title(`${r.label}: ${fmt(r.value)}${r.note ? ` · ${r.note}` : ""}`)),
      text(labelW + w + 6, y + rowH / 2 + 4, fmt(r.value), "chart-value", "start"),
    );
  });
  const chart = svg("svg", { viewBox: `0 0 ${wide} ${height}`, class: "chart chart-h", role: "img", "aria-label": opts.caption }, g);
  return h("figure", { class: "chart-figure", "data-chart": "bars" }, h("div", { class: "chart-title" }, opts.caption), chart);
}
