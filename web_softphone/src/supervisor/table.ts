// A sortable table: static header buttons (aria-sort), a body re-rendered on every update.
// Used by the live supervisor tables (re-rendered each second) and the report tables.

import { type Child, h } from "../dom";
import { nextSort, type SortDir, type SortState, sortRows } from "./model";

export interface Column<T> {
  key: string;
  label: string;
  /** The value sorted on; null sorts last. */
  value: (row: T) => string | number | null | undefined;
  /** The cell's content (defaults to the value). */
  render?: (row: T) => Child;
  /** Extra attributes of the cell (e.g. data-level for alert colours). */
  cell?: (row: T) => Record<string, string>;
  numeric?: boolean;
  /** The first direction when sorting on this column (numbers: largest first). */
  initial?: SortDir;
  title?: string;
}

export interface SortableTable<T> {
  element: HTMLElement;
  update(rows: readonly T[]): void;
}

export interface TableOptions<T> {
  columns: Column<T>[];
  sort: SortState;
  caption: string;
  testId: string;
  rowKey: (row: T) => string;
  rowAttrs?: (row: T) => Record<string, string>;
  empty: string;
  /** Rows pinned under the sorted ones (totals). */
  footer?: () => T[];
}

export function sortableTable<T>(opts: TableOptions<T>): SortableTable<T> {
  let sort = opts.sort;
  let rows: readonly T[] = [];
  const tbody = h("tbody");
  const tfoot = h("tfoot");
  const headers = new Map<string, HTMLTableCellElement>();
  const headRow = h("tr");
  for (const col of opts.columns) {
    const button = h("button", { type: "button", class: "sort-button", onclick: () => setSort(col) }, col.label, h("span", { class: "sort-mark", "aria-hidden": "true" }));
    const th = h("th", { scope: "col", class: col.numeric ? "num" : "", "data-key": col.key, ...(col.title ? { title: col.title } : {}) }, button);
    headers.set(col.key, th);
    headRow.append(th);
  }
  const table = h("table", { class: "data-table", "data-testid": opts.testId }, h("caption", { class: "visually-hidden" }, opts.caption), h("thead", null, headRow), tbody, tfoot);
  const element = h("div", { class: "table-scroll" }, table);

  function setSort(col: Column<T>): void {
    sort = nextSort(sort, col.key, col.initial ?? (col.numeric ? "desc" : "asc"));
    render();
  }

  function row(item: T, cls = ""): HTMLTableRowElement {
    const tr = h("tr", { class: cls, "data-row": opts.rowKey(item), ...(opts.rowAttrs?.(item) ?? {}) });
    for (const col of opts.columns) {
      const content = col.render ? col.render(item) : col.value(item);
      tr.append(h("td", { class: col.numeric ? "num" : "", "data-col": col.key, ...(col.cell?.(item) ?? {}) }, content ?? "—"));
    }
    return tr;
  }

  function render(): void {
    for (const [key, th] of headers) th.setAttribute("aria-sort", key === sort.key ? (sort.dir === "asc" ? "ascending" : "descending") : "none");
    const col = opts.columns.find((c) => c.key === sort.key) ?? opts.columns[0]!;
    const sorted = sortRows(rows, col.value, sort.dir);
    tbody.replaceChildren(...(sorted.length ? sorted.map((r) => row(r)) : [h("tr", { class: "empty-row" }, h("td", { colspan: String(opts.columns.length) }, opts.empty))]));
    tfoot.replaceChildren(...(sorted.length && opts.footer ? opts.footer().map((r) => row(r, "total-row")) : []));
  }

  render();
  return {
    element,
    update(next) {
      rows = next;
      render();
    },
  };
}
