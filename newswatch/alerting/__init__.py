"""Alerting: the notifier that sends what the ledger's outbox has due, its delivery
channels, and the templates of alert messages. The ledger itself lives in the store
(`newswatch.storage.open_ledger`)."""
