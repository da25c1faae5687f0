"""The coalescing table: each changed key once per flush, in the order of its last change."""

from __future__ import annotations

from typing import Any

import faust
import pytest

from streamproc.errors import ConfigError
from streamproc.faust.coalescing import CoalescingTable, send_coalesced_changes


@pytest.fixture()
def table_and_sent() -> tuple[Any, list[tuple[int, Any, Any]]]:
    app = faust.App("coalescing-test", store="memory://", Table=CoalescingTable)
    table = app.Table("t", default=None, partitions=4, key_type=str)
    sent: list[tuple[int, Any, Any]] = []

    def send_changelog(partition: int, key: Any, value: Any, *args: Any, **kwargs: Any) -> None:
        sent.append((partition, key, value))

    # No stream event outside an agent: the changelog partition is that of the event written for.
    table.partition_for_key = lambda key: 2 if key.startswith("other") else 1
    table.send_changelog = send_changelog
    return table, sent


def test_each_key_is_sent_once_with_its_newest_value_in_the_order_of_its_last_change(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table["list"] = ["a"]
    table["profile-a"] = "pa"
    table["profile-b"] = "pb"
    table["list"] = ["a", "b"]
    table["other"] = 1
    assert table["list"] == ["a", "b"] and sent == []  # the store has it at once, the changelog not yet
    assert table.unsent_changes == 4
    assert table.send_changes() == 4
    assert sent == [(1, "profile-a", "pa"), (1, "profile-b", "pb"), (1, "list", ["a", "b"]), (2, "other", 1)]
    assert table.send_changes() == 0 and len(sent) == 4  # nothing new: nothing sent again


def test_a_key_created_and_deleted_between_flushes_sends_nothing_but_a_stored_one_a_tombstone(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table["kept"] = "v1"
    table.send_changes()
    sent.clear()
    table["pending"] = {"article": 1}
    table["pending"] = {"article": 1, "replies": 2}
    del table["pending"]
    del table["kept"]
    table["again"] = 1
    del table["again"]
    table["again"] = 2
    assert table.send_changes() == 2
    assert sent == [(1, "kept", None), (1, "again", 2)]
    assert "pending" not in table and "kept" not in table


def test_a_stored_key_deleted_then_set_again_sends_the_new_value(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table["k"] = 1
    table.send_changes()
    del table["k"]
    table["k"] = 3
    table.send_changes()
    assert sent == [(1, "k", 1), (1, "k", 3)]


def test_a_held_key_waits_until_released_and_a_created_then_deleted_one_still_sends_nothing(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table.hold("marker")
    table.hold("marker")  # two holds: two releases
    table["marker"] = "enriched"
    table["pending"] = {"article": 1}
    table.hold("pending")
    del table["pending"]  # created and deleted while held
    table["free"] = 1
    assert table["marker"] == "enriched"  # the store has it at once
    assert table.send_changes() == 1 and sent == [(1, "free", 1)]
    table.release("marker")
    table.release("pending")
    assert table.send_changes() == 0 and table.held_keys == 1
    table.release("marker")
    assert table.send_changes() == 1 and table.held_keys == 0
    assert sent == [(1, "free", 1), (1, "marker", "enriched")]  # never a tombstone for "pending"


def test_a_hold_on_an_input_holds_the_keys_beside_it_too(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table["news.raw/0/7#r1"] = "reply"
    table["news.raw/0/7#replies"] = "legacy"
    table["news.raw/0/70"] = "another input"
    table.send_changes()
    sent.clear()
    table.hold("news.raw/0/7")  # its output is not delivered yet: its reply slots stay too
    del table["news.raw/0/7#r1"]
    del table["news.raw/0/7#replies"]
    del table["news.raw/0/70"]
    assert table.send_changes() == 1 and sent == [(1, "news.raw/0/70", None)]
    table.release("news.raw/0/7")
    assert table.send_changes() == 2
    assert sorted(key for _, key, _ in sent[1:]) == ["news.raw/0/7#r1", "news.raw/0/7#replies"]


def test_the_apps_coalescing_tables_are_all_sent(
    table_and_sent: tuple[Any, list[tuple[int, Any, Any]]],
) -> None:
    table, sent = table_and_sent
    table["a"] = 1
    table["b"] = 2
    assert send_coalesced_changes(table.app) == 2
    assert [key for _, key, _ in sent] == ["a", "b"]


def test_exactly_once_is_refused_because_its_commit_skips_the_flush_that_sends_the_changes() -> None:
    app = faust.App(
        "coalescing-eos", store="memory://", Table=CoalescingTable, processing_guarantee="exactly_once"
    )
    with pytest.raises(ConfigError, match="at_least_once"):
        app.Table("t", default=None, partitions=4, key_type=str)
