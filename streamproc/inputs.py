"""Reading raw messages from files for ``produce`` and ``process``.

One file is one message, bytes untouched, except:

- ``.jsonl`` and ``.ndjson`` files: one message per non-blank line (the extension says so);
- ``lines=True`` (``--lines``): every input, stdin included, is one message per non-blank line;
- ``split_arrays=True`` (``--split-arrays``): an input whose JSON top level is an array becomes
  one message per element (each element re-serialised as compact JSON).
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from streamproc.errors import StreamprocError

LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})


@dataclass(frozen=True, slots=True)
class InputItem:
    name: str  # file path, "path:line" for a line, "path[i]" for an array element, "-" for stdin
    payload: bytes


@dataclass(frozen=True, slots=True)
class InputOptions:
    lines: bool = False  # every input is one message per line (stdin too)
    split_arrays: bool = False  # a JSON array is one message per element


def _expand(spec: str) -> list[Path]:
    if spec == "-":
        return [Path("-")]
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
    if path.exists():
        return [path]
    matches = sorted(Path(m) for m in glob.glob(spec, recursive=True))
    files = [m for m in matches if m.is_file()]
    if not files:
        raise StreamprocError(f"no input matches {spec!r}")
    return files


def _hidden(relative: Path) -> bool:
    """A dot file, or anything in a dot folder (.git, .cache) under a directory given as input."""
    return any(part.startswith(".") for part in relative.parts)


def _split_lines(name: str, data: bytes) -> Iterator[InputItem]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield InputItem(f"{name}:{number}", line.rstrip(b"\r"))


def _split_array(item: InputItem) -> Iterator[InputItem]:
    """The elements of a JSON array, each as one message; anything else stays as it is."""
    if not item.payload.lstrip().startswith(b"["):
        yield item
        return
    try:
        elements = orjson.loads(item.payload)
    except orjson.JSONDecodeError:
        yield item  # not JSON after all: the worker dead-letters it with the reason
        return
    if not isinstance(elements, list):
        yield item
        return
    for index, element in enumerate(elements):
        yield InputItem(f"{item.name}[{index}]", orjson.dumps(element))


def _read_file(path: Path) -> bytes:
    """A file's bytes; a file that cannot be read is named with the reason (one line, no errno)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StreamprocError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read_spec_path(path: Path, options: InputOptions) -> Iterator[InputItem]:
    name = str(path)
    data = sys.stdin.buffer.read() if name == "-" else _read_file(path)
    if options.lines or path.suffix.lower() in LINE_SUFFIXES:
        yield from _split_lines(name, data)
    else:
        yield InputItem(name, data)


def iter_inputs(specs: Sequence[str], options: InputOptions | None = None) -> Iterator[InputItem]:
    """Files, directories (recursively, sorted), globs, ``.jsonl``/``.ndjson`` (one item per line),
    ``-`` (stdin); see the module docstring for ``options``."""
    options = options or InputOptions()
    for spec in specs:
        for path in _expand(spec):
            for item in _read_spec_path(path, options):
                if options.split_arrays:
                    yield from _split_array(item)
                else:
                    yield item


def count_inputs(specs: Sequence[str], options: InputOptions | None = None) -> int | None:
    """How many messages the specs hold (None when stdin is among them or arrays are split)."""
    options = options or InputOptions()
    if options.split_arrays:
        return None
    total = 0
    for spec in specs:
        for path in _expand(spec):
            if str(path) == "-":
                return None
            if options.lines or path.suffix.lower() in LINE_SUFFIXES:
                total += sum(1 for line in _read_file(path).split(b"\n") if line.strip())
            else:
                total += 1
    return total
