"""How many inputs the property and fuzz tests tried (printed by conftest.py at the end)."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()


def tried(name: str, count: int = 1) -> None:
    """Count `count` inputs given to the property `name`."""
    TRIED[name] += count
