"""The worker as a service, end to end on a real broker: start-up line, size limits, no orphans."""

from __future__ import annotations

import base64
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streamproc.config import ParseSettings
from tests.support import REPO, SAMPLES, Env, produce, wait_for_records

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


def test_worker_summary_oversize_dead_letter_and_no_orphans_after_sigkill(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    max_bytes = ParseSettings().max_bytes
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (max_bytes // 5) + b"x" * (max_bytes % 5 + 1))
    assert big.stat().st_size == max_bytes + 1
    with env.worker() as worker:
        log = worker.log_path.read_text()
        (summary,) = [json.loads(line) for line in log.splitlines() if "worker starting" in line]
        for part in (
            f"bootstrap={env.bootstrap}",
            env.topics["raw"],
            env.topics["dlq"],
            f":{env.web_port}/metrics",
        ):
            assert part in summary["event"]
        errors = [line for line in log.splitlines() if '"level":"error"' in line]
        assert not [line for line in errors if "CoordinatorNotAvailable" in line], errors

        # parse.max_bytes + 1: through the producer, the topics and the worker into the DLQ.
        produce(env, [big])
        (letter,) = wait_for_records(env, "dlq", 1, timeout=120)
        assert letter["value"]["error"]["code"] == "oversize"
        assert base64.b64decode(letter["value"]["payload_b64"]) == big.read_bytes()

        produce(env, [SAMPLES])  # the worker still works after it
        enriched = wait_for_records(env, "enriched", 2, timeout=120)
        assert len(enriched) == 2, worker.log_tail()
        key = enriched[1]["key"]
        done = env.cli("consume", "--topic", env.topics["enriched"], "--timeout", "2", "--key", key)
        (shown,) = [json.loads(line) for line in done.stdout.decode().splitlines()]
        assert shown["key"] == key and shown["value"]["id"] == key

        children = children_of(worker.proc.pid)
        assert len(children) >= 2  # the NER process and the resource tracker
        worker.kill()  # SIGKILL: no clean-up code runs in the worker
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in children):
            time.sleep(0.2)
        assert not [pid for pid in children if alive(pid)], "children survived their worker"


def test_process_names_each_input_and_ends_with_a_summary(tmp_path: Path) -> None:
    env = Env("127.0.0.1:9", tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"headline": "no body here"}')
    done = env.cli("process", str(SAMPLES), str(bad))
    assert done.returncode == 0, done.stderr.decode()
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    # One line per input (story records only with --stories).
    assert [line["input"] for line in lines] == [*sorted(str(p) for p in SAMPLES.iterdir()), str(bad)]
    assert lines[-1]["value"]["error"]["code"] == "no_body"
    assert "keys seen: headline" in lines[-1]["value"]["error"]["message"]
    assert "processed 3 input(s)" in done.stderr.decode() and "1 dead letter(s)" in done.stderr.decode()


def test_sigterm_stops_process_with_how_far_it_got(tmp_path: Path) -> None:
    env = Env("127.0.0.1:9", tmp_path)
    feed = tmp_path / "feed.jsonl"
    body = "The council met on Monday in Leeds to discuss the budget. " * 20
    feed.write_bytes(b"".join(_feed_line(i, body) for i in range(2000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamproc", "process", "--lines", str(feed)],
        env=env.environ(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    for _ in range(3):  # the model loaded and the first outputs written
        assert proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    rest, stderr = proc.communicate(timeout=60)
    text = stderr.decode()
    assert proc.returncode == 128 + signal.SIGTERM, text
    assert "Traceback" not in text, text
    [line] = [line for line in text.splitlines() if line.startswith("interrupted: ")]
    done = int(line.split("interrupted: processed ")[1].split()[0])
    assert line.startswith(f"interrupted: processed {done} of 2000 input(s): ")
    assert 3 <= done < 2000 and len(rest.splitlines()) == done - 3


def _feed_line(index: int, body: str) -> bytes:
    return json.dumps({"title": f"Council meeting {index}", "body": body}).encode() + b"\n"
