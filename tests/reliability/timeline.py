"""Per worker start, seconds from its first log line to each recovery step, from a worker log.

    python3 tests/reliability/timeline.py <tmp_path>/*/worker-*.log

app: Faust starts; rebal: the first rebalance is done; raw: the first input record; pool: the NER
processes are ready; replay: the first answers read (output read-back); jump / refused: the
first offset jump / record refused by the order guard. Also the output read-backs per start:
how many, and the seconds from the first to the last.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

STEPS = (
    ("app", "CorrectedApp]: Starting"),
    ("rebal", "rebalance done"),
    ("pool", "enrichment pool ready"),
    ("raw", "partition starts at its committed offset"),
    ("replay", "replay start"),
    ("jump", "offset jump"),
    ("refused", "record out of order"),
)


def timeline(path: str) -> list[str]:
    lines: list[str] = []
    start: float | None = None
    marks: dict[str, float] = {}
    readbacks: list[float] = []

    def flush() -> None:
        if start is None:
            return
        steps = " ".join(f"{key}=+{moment - start:.1f}" for key, moment in marks.items())
        spread = f"{readbacks[-1] - readbacks[0]:.2f}s" if readbacks else "-"
        when = datetime.fromtimestamp(start).strftime("%H:%M:%S")
        lines.append(f"start {when} {steps} read-backs={len(readbacks)} over {spread}")

    with open(path, errors="replace") as log:
        for line in log:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            event = str(record.get("event", ""))
            moment = datetime.fromisoformat(record["ts"]).timestamp()
            if "worker starting" in event:
                flush()
                start, marks, readbacks = moment, {}, []
                continue
            if "replay start" in event:
                readbacks.append(moment)
            for key, text in STEPS:
                if text in event and key not in marks:
                    if key == "raw" and not str(record.get("topic", "")).endswith(".raw"):
                        continue
                    marks[key] = moment
    flush()
    return lines


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"== {name}")
        for row in timeline(name):
            print(f"  {row}")
