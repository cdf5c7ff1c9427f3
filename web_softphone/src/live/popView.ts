// Collapsed or expanded: the agent's choice for the pops, remembered for the tab
// (sessionStorage, so a reload keeps it and another tab has its own). Each pop keeps its own
// state; the last choice is the default for the next call. Pure: unit-tested under node.

export type PopMode = "expanded" | "collapsed";

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const POP_VIEW_KEY = "cti.pops.view";
const KEEP = 20; // pops remembered by linkedid (a tab sees a few calls at once)

interface Saved {
  mode: PopMode;
  pops: Array<[string, PopMode]>;
}

function sessionStore(): KeyValueStore | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

function parse(text: string | null): Saved {
  try {
    const data = JSON.parse(text ?? "") as Partial<Saved>;
    const mode = data.mode === "collapsed" ? "collapsed" : "expanded";
    const pops = Array.isArray(data.pops) ? data.pops.filter((p): p is [string, PopMode] => Array.isArray(p) && typeof p[0] === "string" && (p[1] === "collapsed" || p[1] === "expanded")) : [];
    return { mode, pops };
  } catch {
    return { mode: "expanded", pops: [] };
  }
}

export class PopViewPrefs {
  private saved: Saved;

  constructor(private readonly store: KeyValueStore | null = sessionStore()) {
    this.saved = parse(this.read());
  }

  /** The pop's own state, else the tab's last choice. */
  modeFor(linkedid: string): PopMode {
    return this.saved.pops.find(([id]) => id === linkedid)?.[1] ?? this.saved.mode;
  }

  set(linkedid: string, mode: PopMode): void {
    const pops = this.saved.pops.filter(([id]) => id !== linkedid);
    pops.push([linkedid, mode]);
    this.saved = { mode, pops: pops.slice(-KEEP) };
    this.write();
  }

  forget(linkedid: string): void {
    this.saved = { ...this.saved, pops: this.saved.pops.filter(([id]) => id !== linkedid) };
    this.write();
  }

  private read(): string | null {
    try {
      return this.store?.getItem(POP_VIEW_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private write(): void {
    try {
      this.store?.setItem(POP_VIEW_KEY, JSON.stringify(this.saved));
    } catch {
      // storage full or refused: the choice lasts for this page only
    }
  }
}
