// A call's recordings on the card's history and in the pop's wrap-up: play/pause, seek, speed
// (1x / 1.5x / 2x), download for supervisors and admins, and their "keep" flag (retention never
// deletes a kept call's recordings). A recording still being written is asked for again.

import { ApiError } from "../api";
import { h, icon } from "../dom";
import { formatFull } from "../format";
import { t } from "../i18n";
import { ICONS } from "../icons";
import type { Recording } from "../types";
import { RecordingsApi } from "./api";

export interface RecordingContext {
  recordings: RecordingsApi;
  /** Supervisors and admins: download, and the keep flag. */
  staff: boolean;
}

let context: RecordingContext | null = null;

/** The signed-in context, or null before signing in. */
export function recordingContext(): RecordingContext | null {
  return context;
}

/** Set once signed in (app.ts); without it no player is offered. */
export function configureRecordings(next: RecordingContext | null): void {
  context = next;
}

const SPEEDS = [1, 1.5, 2];
const RETRY_MS = 1500;
const RETRIES = 20;

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function message(text: string): HTMLElement {
  return h("p", { class: "rec-message", role: "status" }, text);
}

function speedButtons(audio: HTMLAudioElement): HTMLElement {
  const buttons = SPEEDS.map((speed) =>
    h("button", { type: "button", class: "chip rec-speed", "aria-pressed": String(speed === 1), onclick: () => choose(speed) }, `${String(speed).replace(".", t("recording.decimal_mark"))}×`),
  );
  function choose(speed: number): void {
    audio.playbackRate = speed;
    buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(SPEEDS[i] === speed)));
  }
  return h("div", { class: "chips rec-speeds", role: "group", "aria-label": t("recording.speed") }, buttons);
}

function downloadButton(save: () => Promise<void>): HTMLElement {
  const button = h("button", { type: "button", class: "btn btn-small btn-ghost rec-download" }, icon(ICONS.download), h("span", null, t("recording.download")));
  button.addEventListener("click", () => void save());
  return button;
}

/** Save `blob` as a file named `name` (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const link = h("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

/** The player's controls on audio already fetched: play/pause, seek, position, speed, and
 *  download when `save` is given. Used by recordings and voicemail messages alike. */
export function audioControls(blob: Blob, knownSeconds: number | null | undefined, label: string, save?: () => Promise<void>, attrs: Record<string, string | number> = {}): HTMLElement {
  const audio = h("audio", { preload: "auto", src: URL.createObjectURL(blob) });
  const duration = () => (Number.isFinite(audio.duration) ? audio.duration : knownSeconds ?? 0);
  const play = h("button", { type: "button", class: "btn btn-small rec-play", "aria-label": t("recording.play") }, t("recording.play"));
  const seek = h("input", { type: "range", class: "rec-seek", min: 0, max: knownSeconds ?? 0, step: 0.1, value: 0, "aria-label": t("recording.position") });
  const time = h("span", { class: "rec-time mono" });
  const show = () => {
    seek.max = String(duration());
    seek.value = String(audio.currentTime);
    seek.setAttribute("aria-valuetext", t("recording.time", { position: clock(audio.currentTime), duration: clock(duration()) }));
    time.textContent = t("recording.time", { position: clock(audio.currentTime), duration: clock(duration()) });
    const playing = !audio.paused && !audio.ended;
    play.textContent = playing ? t("recording.pause") : t("recording.play");
    play.setAttribute("aria-label", playing ? t("recording.pause") : t("recording.play"));
  };
  play.addEventListener("click", () => (audio.paused ? void audio.play() : audio.pause()));
  seek.addEventListener("input", () => {
    audio.currentTime = Number(seek.value);
    show();
  });
  for (const name of ["timeupdate", "play", "pause", "ended", "loadedmetadata"]) audio.addEventListener(name, show);
  show();
  return h("div", { class: "rec-player", role: "group", "aria-label": label, ...attrs }, audio, play, seek, time, speedButtons(audio), save ? downloadButton(save) : null);
}

function controls(ctx: RecordingContext, callId: number, recording: Recording, blob: Blob, label: string): HTMLElement {
  const save = ctx.staff ? async () => saveBlob(await ctx.recordings.audio(callId, recording.id, true), recording.file_name) : undefined;
  return audioControls(blob, recording.duration_seconds, label, save, { "data-recording": recording.id });
}

function unavailable(recording: Recording): string | null {
  if (recording.status === "deleted") return t("recording.deleted", { date: formatFull(recording.deleted_at) });
  if (recording.status !== "complete") return t("recording.in_progress");
  return null;
}

async function oneRecording(ctx: RecordingContext, callId: number, recording: Recording, label: string): Promise<HTMLElement> {
  const why = unavailable(recording);
  if (why) return message(why);
  try {
    return controls(ctx, callId, recording, await ctx.recordings.audio(callId, recording.id), label);
  } catch (err) {
    return message(err instanceof Error ? err.message : t("recording.missing"));
  }
}

/** What a player needs of a call: whether it was recorded, and whether it is kept. */
export interface Recorded {
  recording?: string | null;
  keep_recordings?: boolean;
}

interface Target {
  id: number;
  keep: boolean;
}

function keepToggle(ctx: RecordingContext, call: Target): HTMLElement {
  const box = h("input", { type: "checkbox", class: "rec-keep-box", checked: call.keep });
  const alert = h("span", { class: "rec-keep-error", role: "alert" });
  box.addEventListener("change", async () => {
    alert.textContent = "";
    try {
      const saved = await ctx.recordings.setKeep(call.id, box.checked);
      box.checked = saved.keep_recordings;
    } catch {
      box.checked = !box.checked;
      alert.textContent = t("recording.keep_failed");
    }
  });
  return h("label", { class: "rec-keep" }, box, " ", t("recording.keep"), alert);
}

async function fill(ctx: RecordingContext, call: Target, area: HTMLElement, tries = RETRIES): Promise<void> {
  let list: Recording[];
  try {
    list = await ctx.recordings.list(call.id);
  } catch (err) {
    area.replaceChildren(message(err instanceof ApiError ? err.message : t("recording.missing")));
    return;
  }
  if (!list.length) {
    area.replaceChildren(message(t("recording.none")));
    return;
  }
  const pending = list.some((r) => r.status === "recording" || r.status === "stopped");
  const label = (i: number) => (list.length > 1 ? t("recording.recording_n", { n: i + 1, count: list.length }) : t("recording.region"));
  const players = await Promise.all(list.map((r, i) => oneRecording(ctx, call.id, r, label(i))));
  area.replaceChildren(...players, ctx.staff ? keepToggle(ctx, call) : "");
  if (pending && tries > 0) setTimeout(() => void fill(ctx, call, area, tries - 1), RETRY_MS);
}

/** A "Play recording" button that opens the call's player(s); null without a recording.
 *  `callId`: the call's id (a pop knows only the linkedid until the call log has it). */
export function recordingSlot(call: Recorded | null, callId: () => Promise<number | null>): HTMLElement | null {
  const ctx = context;
  if (!ctx || !call?.recording) return null;
  const area = h("div", { class: "rec-area", "aria-live": "polite" });
  const open = h("button", { type: "button", class: "link-button rec-open" }, icon(ICONS.play), t("recording.play_recording"));
  open.addEventListener("click", async () => {
    open.remove();
    area.replaceChildren(message(t("recording.loading")));
    const id = await callId();
    if (id === null) {
      area.replaceChildren(message(t("recording.none")));
      return;
    }
    await fill(ctx, { id, keep: call.keep_recordings ?? false }, area);
  });
  return h("div", { class: "rec" }, open, area);
}
