"""A small fixed-budget run of benchmarks/fuzz.py: extraction and discovery over mutated real
pages and feeds from ../shared/data (read at run time; skipped cleanly without the folder).

The full run (`python benchmarks/fuzz.py --seconds 600`) tries thousands of inputs; this one
tries a fixed, seeded few hundred so CI stays fast and every run sees the same inputs.
"""

from __future__ import annotations

import pytest

from benchmarks.fuzz import print_report, run, shared_data_dir
from tests.property.budget import tried

DATA = shared_data_dir()
pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"no shared data at {DATA} (set NEWSWATCH_SHARED_DATA)"
)


class _Lines:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


@pytest.mark.parametrize(
    ("target", "inputs", "seed"),
    [("discovery", 200, 11), ("article", 24, 12)],
)
def test_mutated_real_documents_never_break_the_parsers(target: str, inputs: int, seed: int):
    report = run(DATA, seed=seed, inputs=inputs, seconds=None, share={target: 1.0}, limit=15.0)
    out = _Lines()
    print_report(report, out)
    print(out.text)
    tried(f"fuzz: {target} (mutated real documents)", report.total)
    assert report.corpus.get(target, 0) > 0, "no documents to mutate in the shared data"
    assert report.tried == {target: inputs}
    assert not report.failures, out.text
