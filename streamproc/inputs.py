"""Reading raw messages from files for ``produce`` and ``process`` (one file = one message)."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from streamproc.errors import StreamprocError


@dataclass(frozen=True, slots=True)
class InputItem:
    name: str  # file path, "path:line" for .jsonl, or "-" for stdin
    payload: bytes


def _expand(spec: str) -> list[Path]:
    if spec == "-":
        return [Path("-")]
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.exists():
        return [path]
    matches = sorted(Path(m) for m in glob.glob(spec, recursive=True))
    files = [m for m in matches if m.is_file()]
    if not files:
        raise StreamprocError(f"no input matches {spec!r}")
    return files


def iter_inputs(specs: Sequence[str]) -> Iterator[InputItem]:
    """Files, directories (recursively, sorted), globs, ``.jsonl`` (one item per line), ``-`` (stdin)."""
    for spec in specs:
        for path in _expand(spec):
            if str(path) == "-":
                yield InputItem("-", sys.stdin.buffer.read())
            elif path.suffix == ".jsonl":
                with path.open("rb") as handle:
                    for number, line in enumerate(handle, start=1):
                        if line.strip():
                            yield InputItem(f"{path}:{number}", line.rstrip(b"\r\n"))
            else:
                yield InputItem(str(path), path.read_bytes())


def count_inputs(specs: Sequence[str]) -> int | None:
    """How many messages the specs hold (None when stdin is among them)."""
    total = 0
    for spec in specs:
        for path in _expand(spec):
            if str(path) == "-":
                return None
            if path.suffix == ".jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            else:
                total += 1
    return total
