"""No import cycle anywhere in the package, down to single modules (a package's __init__
and its own submodules included): `lint-imports` checks the layers and cycles between
siblings; this checks every strongly connected group of modules."""

from __future__ import annotations

import grimp


def import_cycles(package: str) -> list[list[str]]:
    """The groups of modules that import one another, directly or not (Tarjan's SCC)."""
    graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycle_between_any_two_modules() -> None:
    graph_size = len(grimp.build_graph("newswatch", cache_dir=None).modules)
    assert graph_size > 50  # the whole package was read
    assert import_cycles("newswatch") == []
