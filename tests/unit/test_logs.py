from __future__ import annotations

import json
import logging
import sys

from streamproc.logs import JsonFormatter


def test_log_lines_are_json_with_fields_and_exceptions() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t", logging.WARNING, __file__, 1, "dead letter", (), sys.exc_info(), extra={"code": "empty"}
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "dead letter" and line["level"] == "warning" and line["code"] == "empty"
    assert "ValueError: boom" in line["exc"]
