// The tab's title blinks "☎ Ringing: <name>" while a call rings, so an agent on another tab
// sees it. Whatever title the page sets meanwhile is kept and put back when the ringing stops.

const INTERVAL_MS = 900;

export class TitleBlinker {
  private text: string | null = null;
  private base = "";
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly doc: { title: string } = document) {}

  /** Blink `text` (null: stop and restore the page's own title). */
  set(text: string | null): void {
    if (text === this.text) return;
    const wasShowing = this.text !== null && this.doc.title === this.text;
    this.text = text;
    if (text === null) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      if (wasShowing) this.doc.title = this.base;
      return;
    }
    if (!wasShowing) this.base = this.doc.title;
    this.doc.title = text;
    if (!this.timer) this.timer = setInterval(() => this.tick(), INTERVAL_MS);
  }

  private tick(): void {
    if (this.text === null) return;
    if (this.doc.title === this.text) {
      this.doc.title = this.base;
    } else {
      this.base = this.doc.title;
      this.doc.title = this.text;
    }
  }
}
