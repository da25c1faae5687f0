"""The consumer group id rule: static by default, one id per worker, stable across its restarts."""

from __future__ import annotations

from dataclasses import replace

from streamproc.config import WorkerSettings
from streamproc.kafka.membership import group_instance_id


def test_derived_id_is_stable_for_one_worker_and_distinct_for_two() -> None:
    conf = WorkerSettings(app_id="news", web_port=6066)
    assert group_instance_id(conf, "host-a") == "news-host-a-6066"
    assert group_instance_id(conf, "host-a") == group_instance_id(conf, "host-a")  # a restart
    # Two workers: other host, or same host with another web port (they cannot share one).
    assert group_instance_id(conf, "host-b") != group_instance_id(conf, "host-a")
    assert group_instance_id(replace(conf, web_port=6067), "host-a") != group_instance_id(conf, "host-a")


def test_configured_id_wins_and_dynamic_membership_has_none() -> None:
    conf = WorkerSettings(app_id="news", group_instance_id="worker-7")
    assert group_instance_id(conf, "host-a") == "worker-7"
    assert group_instance_id(replace(conf, static_membership=False), "host-a") == "worker-7"
    assert group_instance_id(WorkerSettings(static_membership=False), "host-a") is None


def test_host_name_characters_kafka_would_not_take_are_replaced() -> None:
    conf = WorkerSettings(app_id="news", web_port=1)
    assert group_instance_id(conf, "my host/1") == "news-my-host-1-1"
    assert group_instance_id(conf, "") == "news-host-1"
