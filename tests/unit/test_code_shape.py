"""Code shape of streamproc/: small functions, and third-party classes left as their authors wrote them.

Corrections to faust, mode and aiokafka live in subclasses (streamproc/faust/), never in
assignments to the libraries' own modules or classes, so an upgrade cannot silently keep or drop
a patch.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "streamproc"
MAX_BODY_LINES = 100
THIRD_PARTY_ROOTS = frozenset({"faust", "mode", "aiokafka"})


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement of the body (docstring included) to the last."""
    end = function.end_lineno or function.lineno
    return end - function.body[0].lineno + 1


def third_party_names(tree: ast.Module) -> set[str]:
    """Names a module binds to faust, mode or aiokafka modules, classes and functions."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in THIRD_PARTY_ROOTS:
                    names.add((alias.asname or alias.name).split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] in THIRD_PARTY_ROOTS
        ):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _attribute_targets(node: ast.AST) -> Iterator[ast.Attribute]:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign | ast.Delete):
        targets = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    for target in targets:
        for part in ast.walk(target):
            if isinstance(part, ast.Attribute):
                yield part


def third_party_mutations(tree: ast.Module) -> list[ast.AST]:
    """Assignments (and setattr/delattr calls) whose target is rooted in a third-party name."""
    names = third_party_names(tree)
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        for target in _attribute_targets(node):
            if _root_name(target) in names:
                found.append(target)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"setattr", "delattr"}
            and node.args
            and _root_name(node.args[0]) in names
        ):
            found.append(node)
    return found


def test_the_package_is_found() -> None:
    assert len(_sources()) > 20


def test_no_function_body_is_longer_than_100_lines() -> None:
    too_long = [
        f"{_where(path, node)} {node.name}: {body_lines(node)} lines"
        for path in _sources()
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and body_lines(node) > MAX_BODY_LINES
    ]
    assert too_long == []


def test_no_assignment_to_third_party_modules_or_classes() -> None:
    mutations = [
        f"{_where(path, node)} {ast.unparse(node)}"
        for path in _sources()
        for node in third_party_mutations(_tree(path))
    ]
    assert mutations == []


@pytest.mark.parametrize(
    "source",
    [
        "import faust\nfaust.App.x = 1\n",
        "from aiokafka import AIOKafkaConsumer as C\nC.fetch = None\n",
        "import mode.utils.aiter\nmode.utils.aiter.aiter = len\n",
        "from faust.tables import Table\nsetattr(Table, 'x', 1)\n",
        "from aiokafka.conn import AIOKafkaConnection\ndelattr(AIOKafkaConnection, 'x')\n",
        "import aiokafka\naiokafka.consumer.fetcher.Fetcher.x += 1\n",
    ],
)
def test_the_mutation_check_sees_patches(source: str) -> None:
    assert third_party_mutations(ast.parse(source)) != []


@pytest.mark.parametrize(
    "source",
    [
        "import faust\nclass A(faust.App):\n    def f(self):\n        self.x = 1\n",
        "from faust import Record\nrecord = Record()\nsetattr(record, 'x', 1)\n",
        "import json\njson.x = 1\n",
    ],
)
def test_the_mutation_check_leaves_own_objects_alone(source: str) -> None:
    assert third_party_mutations(ast.parse(source)) == []


def test_body_lines_counts_from_the_first_statement() -> None:
    tree = ast.parse("@decorator\ndef f(\n    a,\n):\n    '''doc'''\n    x = 1\n    return x\n")
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert body_lines(function) == 3
