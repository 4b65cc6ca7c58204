"""bench/run.py imports inside its functions (Django is set up first): check every one resolves.

Moving code (e.g. the demo builders to demo/) must not silently break the benchmarks, which no
other test runs.
"""

import ast
import importlib
from pathlib import Path

import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
BENCH_FILES = sorted(BENCH_DIR.glob("*.py"))


def imported_names(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None


@pytest.mark.parametrize("path", BENCH_FILES, ids=lambda p: p.name)
def test_every_import_of_the_benchmarks_resolves(path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH_DIR))  # the scripts import each other (load.py uses run.py)
    for module_name, name in imported_names(path):
        module = importlib.import_module(module_name)
        if name is not None and not hasattr(module, name):
            importlib.import_module(f"{module_name}.{name}")  # a submodule: raises if missing
