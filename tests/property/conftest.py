"""Hypothesis profiles and the count of inputs the property tests tried.

Profiles (choose with HYPOTHESIS_PROFILE; default `ci`):

- `ci`: a fixed budget (max_examples per property, derandomized so every run tries the same
  inputs, no example database), so the whole folder takes well under a minute;
- `dev`: ten times the inputs, random, with the example database: for hunting bugs locally.

Each property calls `tests.property.budget.tried(name)` once per input; the totals are
printed at the end of the run ("hypothesis/fuzz: N inputs tried over M properties") and
written to `.pytest_cache/newswatch-property-inputs.json`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from tests.property.budget import TRIED

settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,  # a busy shared machine must not fail a property on time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    # No "explain" phase: on a failure it inspects every loaded module, and touching
    # mypy_extensions.TypedDict there is a DeprecationWarning (an error in this suite).
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
settings.register_profile(
    "dev",
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TRIED:
        return
    total = sum(TRIED.values())
    terminalreporter.write_sep("-", "property inputs")
    for name, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{name}: {count}")
    terminalreporter.write_line(
        f"hypothesis/fuzz: {total} inputs tried over {len(TRIED)} properties "
        f"(hypothesis profile {PROFILE})"
    )
    cache = Path(str(terminalreporter.config.rootpath)) / ".pytest_cache"
    if cache.is_dir():
        (cache / "newswatch-property-inputs.json").write_text(
            json.dumps({"total": total, "properties": dict(TRIED)}, indent=1), "utf-8"
        )
