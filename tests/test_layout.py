"""The package layout holds: data flows one way through the stages, and no import loops.

Stages, lowest first. A module may import its own stage and the stages below it, never one
above; the shared modules (article, clock, version) import no stage; the root package
(`scraper/__init__.py`, the public facade) and `__main__` sit on top of everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scraper"
STAGES = ["fetch", "warc", "extract", "discover", "store", "search", "export", "pipeline", "web",
          "cli"]  # fmt: skip
SHARED = {"article", "clock", "version"}
FACADE = {"scraper", "scraper.__main__"}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank(module: str) -> int:
    """0 for the shared modules, 1.. for the stages in order, above all for the facade."""
    if module in FACADE:
        return len(STAGES) + 1
    part = module.split(".")[1]
    return 0 if part in SHARED else STAGES.index(part) + 1


def imported_modules(source: str, known: set[str]) -> set[str]:
    """The scraper modules `source` imports anywhere (also inside functions and TYPE_CHECKING):
    `from scraper.x import y` counts as scraper.x.y when that is a module, else scraper.x."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "scraper"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "scraper":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return found


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    known = set(sources)
    return {name: imported_modules(text, known) & known for name, text in sources.items()}


def wrong_way(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a higher stage (or of the facade) by a lower one."""
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if rank(target) > rank(module)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import loops between modules (a package importing its own modules is not one)."""
    found, state = [], {}

    def visit(start: str) -> None:
        stack = [(start, iter(sorted(graph[start])))]
        path, state[start] = [start], "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop(), path.pop()
                state[node] = "done"
            elif state.get(child) == "open" and not node.startswith(child + "."):
                found.append(path[path.index(child) :] + [child])
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {module_name(p): p.read_text("utf-8") for p in sorted(PACKAGE.rglob("*.py"))}


def test_data_flows_one_way(sources):
    assert wrong_way(import_graph(sources)) == []


def test_no_import_loops(sources):
    assert cycles(import_graph(sources)) == []


def test_every_module_belongs_to_a_stage_or_is_shared(sources):
    for module in sources:
        assert rank(module) >= 0  # raises ValueError for a new top-level module


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_takes_and_gives(stage):
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc and "Takes" in doc and "gives" in doc and "import" in doc


def test_no_module_is_over_the_size_limit():
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_checks_catch_a_wrong_way_import_and_a_loop():
    sources = {
        "scraper.fetch.engine": "from scraper.store.archive import Archive\n",
        "scraper.store.archive": "def f():\n    from scraper.search.engine import search\n",
        "scraper.search.engine": "import scraper.store.archive\n",
        "scraper.article": "",
    }
    graph = import_graph(sources)
    assert wrong_way(graph) == [
        "scraper.fetch.engine imports scraper.store.archive",
        "scraper.store.archive imports scraper.search.engine",
    ]
    assert cycles(graph) == [
        ["scraper.store.archive", "scraper.search.engine", "scraper.store.archive"]
    ]
