// The recordings of a call (GET /api/calls/{id}/recordings) and their audio. An <audio> element
// cannot send the bearer token, so the page fetches the file with it and plays it from memory;
// the API's HTTP Range serves players that stream (and the page's seek works in memory).

import { type Api, errorFromResponse } from "../api";
import type { Call, Recording, Voicemail } from "../types";

export type RecordingPart = Recording["parts"][number];

export class RecordingsApi {
  constructor(private readonly api: Api) {}

  list(callId: number): Promise<Recording[]> {
    return this.api.request("GET", `/calls/${callId}/recordings`);
  }

  setKeep(callId: number, keep: boolean): Promise<Call> {
    return this.api.request("PUT", `/calls/${callId}/keep`, { body: { keep } });
  }

  audio(callId: number, recordingId: number, download = false, part: RecordingPart = "mixed"): Promise<Blob> {
    return this.blob(this.api.url(`/calls/${callId}/recordings/${recordingId}`, { part, download: download || undefined }));
  }

  /** A voicemail message's audio (the server marks it heard at the first listen). */
  voicemailAudio(voicemailId: number, download = false): Promise<Blob> {
    return this.blob(this.api.url(`/voicemails/${voicemailId}/audio`, { download: download || undefined }));
  }

  setVoicemailHeard(voicemailId: number, heard: boolean): Promise<Voicemail> {
    return this.api.request("PUT", `/voicemails/${voicemailId}/heard`, { body: { heard } });
  }

  private async blob(url: string): Promise<Blob> {
    const headers: Record<string, string> = {};
    const token = this.api.token;
    if (token) headers.Authorization = `Bearer ${token}`; // i18n-ignore
    const response = await fetch(url, { headers, credentials: "same-origin" });
    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // a plain-text answer (416) stays text
      }
      throw errorFromResponse(response.status, body);
    }
    return response.blob();
  }
}
