"""Running newswatch: configuration, the `newswatch` CLI and (later) the scheduler."""
