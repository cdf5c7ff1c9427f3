"""The card from another CRM: a configured lookup URL asked for the caller's E.164 number, within
a time budget, cached; the pop and the routing hook use it beside the local card."""
