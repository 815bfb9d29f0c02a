"""Modules under 600 lines and functions under 60 lines in haven/ and bench/ (migrations and tests aside): a long
module or function is split into well-named parts, not grown further (docs/architecture.md)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ("haven", "bench")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    found = []
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith("test_"):
                continue
            found.append(path)
    return found


def long_modules(paths) -> list[str]:
    """'path: N lines' for each module over MAX_MODULE_LINES."""
    offenders = []
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{path.relative_to(ROOT)}: {lines} lines")
    return offenders


def long_functions(paths) -> list[str]:
    """'path:line name: N lines' for each function or method (decorators aside) over MAX_FUNCTION_LINES."""
    offenders = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines} lines")
    return offenders


def test_the_trees_hold_modules_to_check():
    modules = _modules()
    names = {path.relative_to(ROOT).as_posix() for path in modules}
    assert {"haven/db/bulk.py", "bench/run.py"} <= names
    assert not any("/migrations/" in name or "/tests/" in name for name in names)


def test_no_module_is_over_600_lines():
    offenders = long_modules(_modules())
    assert not offenders, "modules over 600 lines (split them): " + "; ".join(offenders)


def test_no_function_is_over_60_lines():
    offenders = long_functions(_modules())
    assert not offenders, "functions over 60 lines (split them): " + "; ".join(offenders)


def test_the_checks_name_a_long_module_and_a_long_function():
    long_body = "\n".join(f"    x{n} = {n}" for n in range(MAX_FUNCTION_LINES))
    module = ROOT / "var" / "architecture-size-sample.py"
    module.parent.mkdir(exist_ok=True)
    try:
        module.write_text(f"def short():\n    return 1\n\n\ndef too_long():\n{long_body}\n"
                          + "\n" * MAX_MODULE_LINES, encoding="utf-8")
        assert long_functions([module]) == [
            f"var/architecture-size-sample.py:5 too_long: {MAX_FUNCTION_LINES + 1} lines"]
        lines = len(module.read_text(encoding="utf-8").splitlines())
        assert long_modules([module]) == [f"var/architecture-size-sample.py: {lines} lines"]
    finally:
        module.unlink(missing_ok=True)
