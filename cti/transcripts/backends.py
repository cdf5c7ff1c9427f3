"""The speech-to-text backend the settings choose (CTI_TRANSCRIBE_BACKEND)."""

from __future__ import annotations

from cti.transcripts.openai_backend import OpenAiTranscription
from cti.transcripts.pocketsphinx_backend import PocketSphinx
from cti.transcripts.settings import TranscriptSettings
from cti.transcripts.speech import SpeechToText
from cti.transcripts.whisper_backend import BackendUnavailableError, FasterWhisper


def speech_backend(settings: TranscriptSettings) -> SpeechToText:
    """The chosen backend; BackendUnavailableError when it cannot start (the log says why)."""
    if settings.backend == "pocketsphinx":
        return PocketSphinx()
    if settings.backend == "faster-whisper":
        return FasterWhisper(settings.model_dir, settings.language)
    if settings.backend == "openai":
        if not settings.url:
            raise BackendUnavailableError("CTI_TRANSCRIBE_BACKEND=openai needs CTI_TRANSCRIBE_URL")
        return OpenAiTranscription(settings)
    raise BackendUnavailableError("transcription is off (CTI_TRANSCRIBE_BACKEND=off)")
