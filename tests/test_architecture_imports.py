"""Dependencies point down (docs/architecture.md): the import-linter contracts of pyproject.toml hold, and no two
modules of haven import each other, directly or round a cycle (function-level imports included, since grimp
reads every import statement)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _excluded(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "migrations" in parts


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The import cycles of `graph` (module -> modules it imports): each strongly connected component of more
    than one module, sorted, and each module that imports itself. Tarjan's algorithm, iterative so that a deep
    chain of imports cannot exhaust Python's recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    cycles.append(sorted(component))
    return sorted(cycles)


def haven_import_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("haven", cache_dir=None)
    modules = {module for module in graph.modules if not _excluded(module)}
    return {module: graph.find_modules_directly_imported_by(module) & modules for module in modules}


def test_cycle_finder_finds_cycles_and_only_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": set(), "f": {"f"}, "g": {"h"}, "h": {"g"}}
    assert strongly_connected(graph) == [["a", "b", "c"], ["f"], ["g", "h"]]
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_between_haven_modules():
    graph = haven_import_graph()
    assert "haven.cases.services" in graph and "haven.audit.services" in graph["haven.cases.services"]
    cycles = strongly_connected(graph)
    assert cycles == [], "import cycles (each list imports itself round): " + "; ".join(
        " <-> ".join(cycle) for cycle in cycles)


def test_import_linter_contracts_hold():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache",
                             "--config", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in result.stdout
