"""docs/architecture.md "The layers": the import-linter contracts in pyproject.toml hold, and no import cycles."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    assert lint, "import-linter is part of the dev extra: pip install -e '.[dev]'"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_block(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): imports only a type checker makes."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every finsek module named by an import anywhere in the tree, inside functions too.

    Imports under ``if TYPE_CHECKING:`` are left out: Python never runs them, they only name types.
    """
    skip = {
        id(sub)
        for node in ast.walk(tree)
        if _type_checking_block(node)
        for statement in node.body  # an ``else:`` runs, so its imports count
        for sub in ast.walk(statement)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            names.update(f"{prefix}.{alias.name}" for alias in node.names)  # a submodule, else its package
    return {name for name in names if name == "finsek" or name.startswith("finsek.")}


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(path): path for path in (ROOT / "finsek").rglob("*.py")}

    def known(name: str) -> str | None:
        parts = name.split(".")
        while parts and ".".join(parts) not in paths:
            parts.pop()
        return ".".join(parts) if parts else None

    graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {known(name) for name in _imported(tree, module, path.name == "__init__.py")}
        graph[module] = {target for target in targets if target and target != module and target != "finsek"}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_counting_imports_inside_functions():
    graph = import_graph()
    assert "finsek.ledger.ledger" in graph and "finsek.ledger.cache" in graph["finsek.ledger.ledger"]
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    hidden = ast.parse("def later():\n    from finsek.a import thing\n")
    assert _imported(hidden, "finsek.b", False) == {"finsek.a.thing"}
    assert cycles({"finsek.a": {"finsek.b"}, "finsek.b": {"finsek.a"}, "finsek.c": set()}) == [["finsek.a", "finsek.b"]]


def test_imports_only_a_type_checker_makes_are_no_cycle():
    typed = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "if TYPE_CHECKING:\n"
        "    from finsek.a import App\n"
        "if typing.TYPE_CHECKING:\n"
        "    import finsek.c\n"
        "else:\n"
        "    import finsek.d\n"
        "def later():\n"
        "    from finsek.e import thing\n"
    )
    assert _imported(typed, "finsek.b", False) == {"finsek.d", "finsek.e.thing"}
