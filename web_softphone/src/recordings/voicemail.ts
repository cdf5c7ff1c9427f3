// A voicemail message in the card's history: who left it for which box, how long, unheard ones
// marked "New"; "Play voicemail" opens the same player as recordings (play/pause, seek, speed,
// download for supervisors and admins). The first listen marks it heard on the server; the page
// says so at once, and "Mark as heard" does it without listening.

import { ApiError } from "../api";
import { h, icon } from "../dom";
import { formatDuration } from "../format";
import { t } from "../i18n";
import { ICONS } from "../icons";
import type { Voicemail } from "../types";
import { audioControls, message, recordingContext, saveBlob } from "./player";

function heardTag(voicemail: Voicemail): HTMLElement {
  return voicemail.heard
    ? h("span", { class: "outcome tone-neutral vm-state", "data-heard": "true" }, t("voicemail.heard"))
    : h("span", { class: "tag tone-warn vm-state", "data-heard": "false" }, t("voicemail.new"));
}

function fileName(voicemail: Voicemail): string {
  return `voicemail-${voicemail.mailbox}-${voicemail.received_at.slice(0, 19).replace(/[:T]/g, "-")}.wav`;
}

/** The message's body in the card's history. `display`: the card's way of showing numbers. */
export function voicemailSummary(voicemail: Voicemail, display: (e164: string) => string = (n) => n): HTMLElement {
  const ctx = recordingContext();
  let current = voicemail;
  const state = h("span", { class: "vm-state-slot" }, heardTag(current));
  const markHeard = (next: Voicemail) => {
    current = next;
    state.replaceChildren(heardTag(current));
    mark.hidden = current.heard;
  };
  const mark = h("button", { type: "button", class: "link-button vm-mark", hidden: voicemail.heard }, icon(ICONS.check), t("voicemail.mark_heard"));
  const area = h("div", { class: "rec-area", "aria-live": "polite" });
  mark.addEventListener("click", async () => {
    if (!ctx) return;
    try {
      markHeard(await ctx.recordings.setVoicemailHeard(current.id, true));
    } catch (err) {
      area.replaceChildren(message(err instanceof ApiError ? err.message : t("voicemail.missing")));
    }
  });
  const open = h("button", { type: "button", class: "link-button rec-open vm-open" }, icon(ICONS.play), t("voicemail.play"));
  open.addEventListener("click", async () => {
    if (!ctx) return;
    open.remove();
    area.replaceChildren(message(t("recording.loading")));
    try {
      const blob = await ctx.recordings.voicemailAudio(current.id);
      markHeard({ ...current, heard: true }); // the server marked it at this first listen
      const save = ctx.staff ? async () => saveBlob(await ctx.recordings.voicemailAudio(current.id, true), fileName(current)) : undefined;
      area.replaceChildren(audioControls(blob, current.duration_seconds, t("voicemail.region"), save, { "data-voicemail": current.id }));
    } catch (err) {
      area.replaceChildren(message(err instanceof ApiError ? err.message : t("voicemail.missing")));
    }
  });
  const number = voicemail.external_e164 ? display(voicemail.external_e164) : voicemail.caller_number;
  return h(
    "div",
    { class: "tl-body vm-body", "data-voicemail": voicemail.id },
    h("p", { class: "tl-title" }, h("span", null, t("voicemail.for_box", { box: voicemail.mailbox })), " ", state),
    h(
      "p",
      { class: "tl-meta" },
      [
        number ? h("span", { class: "mono" }, number) : h("span", null, t("voicemail.withheld")),
        voicemail.caller_name ? h("span", null, voicemail.caller_name) : null,
        voicemail.duration_seconds ? h("span", null, t("voicemail.length", { value: formatDuration(Math.round(voicemail.duration_seconds)) })) : null,
        voicemail.task_id ? h("span", null, t("voicemail.callback_task")) : null,
      ].filter(Boolean),
    ),
    ctx && voicemail.playable ? h("div", { class: "rec vm-rec" }, h("p", { class: "vm-actions" }, open, " ", mark), area) : h("p", { class: "rec-message" }, t("voicemail.gone")),
  );
}
