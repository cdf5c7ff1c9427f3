"""Outgoing webhooks, the CRM's half: the versioned event schema, the outbox every change writes
in its own transaction, the admin's subscriptions and dead letters, and the delivery store the
bridge's sender (cti.webhooks) works through."""
