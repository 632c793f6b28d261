"""Alerting: topic queries and matching, the alert ledger and outbox, and delivery channels."""
