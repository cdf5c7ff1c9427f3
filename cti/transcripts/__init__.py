"""Post-call transcripts (issue 16): the worker that turns a call's recording into lines per
speaker, the speech-to-text backends, the summary client and the supervisors' alerts."""
