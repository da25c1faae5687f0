"""Every topic the worker uses, named in one plan: inputs, outputs, the join's internal topics and
the changelogs of its tables, with how each is created."""

from __future__ import annotations

from dataclasses import dataclass

from streamproc.config import Settings
from streamproc.kafka.admin import ensure_topics, kafka_client_kwargs, topic_record_limits, wait_until_ready
from streamproc.kafka.clients import topic_size_config

TABLES = ("dedup-keys", "pending", "published", "stories")


@dataclass(frozen=True, slots=True)
class TopicPlan:
    raw: str
    outputs: dict[str, str]  # role (enriched, duplicates, dlq) -> topic
    probes: str  # content key -> its owner's partition
    replies: str  # answers and articles -> the source key's partition
    stories: str  # news.stories: compacted, keyed by story id
    story_events: str  # story joins, redirects, absorptions -> the story id's partition
    changelogs: dict[str, str]  # table -> its changelog (Faust's naming: <app id>-<table>-changelog)
    partitions: int
    replication_factor: int

    @classmethod
    def of(cls, settings: Settings) -> TopicPlan:
        kafka, app_id = settings.kafka, settings.worker.app_id
        return cls(
            raw=kafka.topic_raw,
            outputs={
                "enriched": kafka.topic_enriched,
                "duplicates": kafka.topic_duplicates,
                "dlq": kafka.topic_dlq,
            },
            probes=f"{app_id}-probes",
            replies=f"{app_id}-replies",
            stories=kafka.topic_stories,
            story_events=f"{app_id}-story-events",
            changelogs={table: f"{app_id}-{table}-changelog" for table in TABLES},
            partitions=kafka.partitions,
            replication_factor=kafka.replication_factor,
        )

    @property
    def internal(self) -> list[str]:
        """The join's own topics: written only by the worker, without transactions, never
        compacted, so their offsets have no holes."""
        return [self.probes, self.replies, self.story_events]

    @property
    def consumed(self) -> list[str]:
        """Topics the worker consumes and commits (changelogs are read back, never committed)."""
        return [self.raw, *self.internal]

    @property
    def written(self) -> list[str]:
        """Every topic the worker writes."""
        return [*self.outputs.values(), *self.internal, self.stories, *self.changelogs.values()]

    async def ensure(self, settings: Settings, timeout_s: float = 60.0) -> dict[str, int]:
        """Wait for the broker, then create every topic that is missing; return the largest record
        batch each topic the worker writes takes (``max.message.bytes``: an existing topic keeps its own).

        The internal topics and changelogs too: a topic Faust declares while the consumer group
        forms is missing from the first assignment ("Ignoring missing topic") and stays unconsumed
        until a rebalance, so the join would never complete.
        """
        kwargs = kafka_client_kwargs(settings.kafka)
        bootstrap = settings.bootstrap_servers
        await wait_until_ready(bootstrap, timeout_s, **kwargs)
        # The largest accepted input, and its dead letter, must fit every topic (brokers default to 1 MB).
        limits = topic_size_config(settings)
        plain = dict.fromkeys([self.raw, *self.outputs.values(), *self.internal], self.partitions)
        await ensure_topics(bootstrap, plain, self.replication_factor, limits, **kwargs)
        changelogs = dict.fromkeys([*self.changelogs.values(), self.stories], self.partitions)
        # As Faust creates changelogs: table state must not expire. news.stories is a story list:
        # the latest record of each story id is what counts.
        compact = {**limits, "cleanup.policy": "compact"}
        await ensure_topics(bootstrap, changelogs, self.replication_factor, compact, **kwargs)
        return await topic_record_limits(bootstrap, self.written, **kwargs)
