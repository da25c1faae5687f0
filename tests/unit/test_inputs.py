from __future__ import annotations

from pathlib import Path

import pytest

from streamproc.errors import StreamprocError
from streamproc.inputs import count_inputs, iter_inputs


def test_files_directories_globs_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "b.txt").write_bytes(b"B")
    (tmp_path / "d" / "a.txt").write_bytes(b"A")
    (tmp_path / "items.jsonl").write_bytes(b'{"n": 1}\n\n{"n": 2}\r\n')
    (tmp_path / "x.html").write_bytes(b"<p>x</p>")
    specs = [str(tmp_path / "d"), str(tmp_path / "items.jsonl"), str(tmp_path / "*.html")]
    items = list(iter_inputs(specs))
    assert [i.payload for i in items] == [b"A", b"B", b'{"n": 1}', b'{"n": 2}', b"<p>x</p>"]
    assert items[2].name.endswith("items.jsonl:1")
    assert count_inputs(specs) == 5


def test_a_spec_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StreamprocError, match="no input matches"):
        list(iter_inputs([str(tmp_path / "nothing-*.txt")]))


@pytest.mark.parametrize("name", ["one.json", "many.jsonl"])
def test_an_unreadable_file_is_named_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # As root a chmod 000 file stays readable, so the refusal is simulated.
    (tmp_path / name).write_bytes(b"{}")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(StreamprocError) as raised:
        list(iter_inputs([str(tmp_path)]))
    assert str(raised.value) == f"cannot read {tmp_path / name}: Permission denied"
    if name.endswith(".jsonl"):  # counted by its lines, so read to count
        with pytest.raises(StreamprocError, match=f"cannot read .*{name}: Permission denied"):
            count_inputs([str(tmp_path)])


def test_a_directory_leaves_out_dot_files_and_everything_in_dot_folders(tmp_path: Path) -> None:
    (tmp_path / "feed" / ".git" / "objects").mkdir(parents=True)
    (tmp_path / "feed" / ".git" / "objects" / "ab12").write_bytes(b"x\x9c\x01")
    (tmp_path / "feed" / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "feed" / "a.json").write_text('{"body": "b"}')
    names = [item.name for item in iter_inputs([str(tmp_path / "feed")])]
    assert names == [str(tmp_path / "feed" / "a.json")]
