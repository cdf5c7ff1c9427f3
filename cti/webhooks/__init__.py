"""Outgoing webhooks, the bridge's half: the sender task that delivers the CRM's outbox
(crm_core.webhooks) to the subscribed URLs, signed, retried with backoff, in order per call."""
