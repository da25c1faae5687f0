"""``streamproc`` command line: broker, worker, produce, consume, process, config, demo."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
import orjson

from streamproc import __version__
from streamproc.bench.options import BenchOptions
from streamproc.config import Settings, config_file_path, env_vars, is_topic_name, load_settings
from streamproc.errors import BrokerRefused, BrokerUnreachable, ErrorCode, StreamprocError
from streamproc.inputs import InputItem, InputOptions, count_inputs, iter_inputs
from streamproc.logs import configure_command_logging
from streamproc.models import RawMessage, SourceOffset, dumps

if TYPE_CHECKING:
    from streamproc.worker.process import WorkerProcess

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


_T = TypeVar("_T")


class _TopicName(click.ParamType):
    """--topic / --to: a name Kafka accepts, checked before anything connects (an empty one used to
    fall back to the default topic silently; an invalid one was reported as missing)."""

    name = "topic"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not is_topic_name(str(value)):
            self.fail(f"{value!r} is not a Kafka topic name (1-249 of letters, digits, . _ -)", param, ctx)
        return str(value)


TOPIC = _TopicName()


def _run(coro: Coroutine[Any, Any, _T]) -> _T:
    """``asyncio.run``; an expected failure (no broker, missing topic, refused login) is one line."""
    try:
        return asyncio.run(coro)
    except StreamprocError as exc:
        _fail(str(exc))


@contextmanager
def _reports_when_stopped(report: Callable[[], str]) -> Iterator[None]:
    """Ctrl-C or SIGTERM: one line ``interrupted: <report()>`` (what was done so far) and exit code
    128 + the signal (130, 143), never a traceback.

    SIGTERM takes Ctrl-C's own path: asyncio.run's SIGINT handler cancels the running command, so
    its Kafka clients close as they do on Ctrl-C, and both signals end the same way.
    """
    stopped_by = [signal.SIGINT]

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        stopped_by[0] = signal.Signals(signum)
        on_sigint = signal.getsignal(signal.SIGINT)
        if not callable(on_sigint):  # SIGINT ignored or default (a background job): stop all the same
            raise KeyboardInterrupt
        on_sigint(signal.SIGINT, frame)

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        yield
    except KeyboardInterrupt:
        click.echo(f"interrupted: {report()}", err=True)
        sys.exit(128 + stopped_by[0])
    finally:
        signal.signal(signal.SIGTERM, previous)


def _input_options(f: Any) -> Any:
    f = click.option(
        "--split-arrays",
        is_flag=True,
        help="A JSON array (file or line) is one message per element.",
    )(f)
    return click.option(
        "--lines",
        is_flag=True,
        help="One message per non-blank line, for every input and stdin (.jsonl/.ndjson always are).",
    )(f)


_F = TypeVar("_F", bound=Callable[..., Any])


def _timeout_option(default: float, help_text: str) -> Callable[[_F], _F]:
    """--timeout S: S > 0 (no "0 means forever" here: these commands are meant to end)."""
    option: Callable[[_F], _F] = click.option(
        "--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True), default=default, help=help_text
    )
    return option


def path_problem(exc: OSError, settings: Settings | None) -> str:
    """A file or folder the command could not use, named with the setting that holds it, if any."""
    path = Path(str(exc.filename))
    where = ""
    if settings is not None:
        for section, values in settings.to_dict().items():
            for name, value in values.items():
                if isinstance(value, str) and value and (Path(value) == path or Path(value) in path.parents):
                    where = f" ({section}.{name} = {value!r}; STREAMPROC_{section.upper()}_{name.upper()})"
    return f"cannot use {path}: {exc.strerror or exc}{where}"


class _Commands(click.Group):
    """The command group: a file or folder that cannot be used (a state dir that is a file, no
    permission, a full disk) ends any command with one line naming it, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.filename is None:  # a socket or pipe: not a path the user can fix
                raise
            settings = ctx.obj.get("settings") if isinstance(ctx.obj, dict) else None
            _fail(path_problem(exc, settings))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="streamproc")
@click.option(
    "--config",
    "config_path",
    default=None,  # checked by load_settings: a directory or unreadable file is one error line
    metavar="FILE",
    help="Settings file (TOML). Default: $STREAMPROC_CONFIG or config/streamproc.toml.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """streamproc: a Kafka stream processor for news articles."""
    configure_command_logging()
    try:
        ctx.obj = {"settings": load_settings(config_path), "config_file": config_file_path(config_path)}
    except StreamprocError as exc:
        _fail(str(exc))


# ----------------------------------------------------------------------------- broker
@cli.group()
def broker() -> None:
    """Run a local single-node Apache Kafka (KRaft) from Kafka's own jars."""


def _local_broker(settings: Settings) -> Any:
    from streamproc.kafka.broker import LocalBroker

    return LocalBroker(settings.broker)


@broker.command("start")
@click.pass_context
def broker_start(ctx: click.Context) -> None:
    """Start the local broker (resolving its jars with Maven on first use) and wait until it answers."""
    settings = _settings(ctx)
    if not settings.uses_local_broker:
        click.echo(
            f"kafka.bootstrap is set ({settings.kafka.bootstrap}): using that broker, not starting one."
        )
        return
    try:
        address = _local_broker(settings).start()
    except StreamprocError as exc:
        _fail(str(exc))
    click.echo(address)


@broker.command("stop")
@click.pass_context
def broker_stop(ctx: click.Context) -> None:
    """Stop the local broker cleanly."""
    stopped = _local_broker(_settings(ctx)).stop()
    click.echo("stopped" if stopped else "not running")


BROKER_STOPPED_EXIT = 3  # as an init script's `status` says "not running"
BROKER_NOT_ANSWERING_EXIT = 4  # a process, but no broker to use: still starting, or wedged


def broker_status_exit_code(running: bool, answering: bool) -> int:
    """`broker status`'s exit code: 0 only when the broker can be used, so scripts can wait on it."""
    if not running:
        return BROKER_STOPPED_EXIT
    return 0 if answering else BROKER_NOT_ANSWERING_EXIT


@broker.command("status")
@click.pass_context
def broker_status(ctx: click.Context) -> None:
    """Say whether the local broker runs and answers (exit 0; 3 stopped; 4 running, not answering)."""
    settings = _settings(ctx)
    status = _local_broker(settings).status()
    state = "running" if status.running else "stopped"
    click.echo(f"{state} pid={status.pid} bootstrap={status.bootstrap} answering={status.answering}")
    if not settings.uses_local_broker:  # "stopped" must not read as "the broker commands use is down"
        click.echo(
            f"this is the local broker; kafka.bootstrap is set, so commands use {settings.kafka.bootstrap}",
            err=True,
        )
    code = broker_status_exit_code(status.running, status.answering)
    if code == BROKER_NOT_ANSWERING_EXIT:
        click.echo(f"the broker does not answer: still starting, or wedged; see {status.log_file}", err=True)
    sys.exit(code)


# ----------------------------------------------------------------------------- worker
async def _wait_for_broker(settings: Settings) -> None:
    """Wait up to worker.broker_wait_s for the broker, then give up with one actionable line."""
    from streamproc.kafka.admin import kafka_client_kwargs, wait_until_ready
    from streamproc.kafka.clients import diagnose_connection, unreachable_message

    wait_s = settings.worker.broker_wait_s
    refused = await diagnose_connection(settings)
    if isinstance(refused, BrokerRefused):  # credentials do not fix themselves: no point waiting
        raise refused
    try:
        await wait_until_ready(settings.bootstrap_servers, wait_s, **kafka_client_kwargs(settings.kafka))
    except StreamprocError:
        diagnosis = await diagnose_connection(settings)
        if isinstance(diagnosis, BrokerRefused):
            raise diagnosis from None
        raise BrokerUnreachable(
            f"{unreachable_message(settings)} (gave up after {wait_s:g}s: worker.broker_wait_s)"
        ) from None


async def _ensure_topics(settings: Settings) -> dict[str, int]:
    """Create the topics that are missing; the largest record each topic the worker writes takes."""
    from streamproc.kafka.topics import TopicPlan

    await _wait_for_broker(settings)
    return await TopicPlan.of(settings).ensure(settings)


@contextmanager
def _silenced(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def startup_summary(settings: Settings) -> str:
    """The worker's one start-up line: where it reads and writes, who it is, where to look."""
    kafka, worker = settings.kafka, settings.worker
    ner = f"{settings.enrich.processes} process(es)" if settings.enrich.processes else "in-process"
    return (
        f"streamproc {__version__} worker starting: bootstrap={settings.bootstrap_servers} "
        f"input={kafka.topic_raw} "
        f"outputs={kafka.topic_enriched},{kafka.topic_duplicates},{kafka.topic_dlq},{kafka.topic_stories} "
        f"app_id={worker.app_id} metrics=http://{worker.web_host}:{worker.web_port}/metrics "
        f"model={settings.enrich.model} ner={ner} store={worker.store}"
    )


@cli.command()
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Run the stream processor (creates its topics when missing). Ctrl-C / SIGTERM stops it cleanly.

    Waits up to worker.broker_wait_s for the broker, then exits 1 with one line saying what to do.
    """
    from streamproc.enrich.pool import launch_ahead
    from streamproc.worker.web import web_port_problem

    settings = _settings(ctx)
    problem = web_port_problem(settings.worker.web_host, settings.worker.web_port)
    if problem is not None:
        _fail(problem)
    # Faust would fail on these later with its own traceback; here the command names the setting.
    Path(settings.worker.data_dir).mkdir(parents=True, exist_ok=True)
    if settings.worker.store.startswith("rocksdb://") and importlib.util.find_spec("rocksdict") is None:
        _fail(
            "worker.store is rocksdb:// but the RocksDB driver is not installed: "
            "pip install 'streamproc[rocksdb]', or set STREAMPROC_WORKER_STORE=memory://"
        )
    try:
        # First: the NER processes' start (spaCy, the model) is a restart's longest part; it runs
        # beside the imports, the broker wait and the join below (README "Restarts").
        launch_ahead(settings.enrich)
    except StreamprocError as exc:
        _fail(str(exc))
    import faust

    from streamproc.app import create_worker
    from streamproc.logs import configure_logging, logging_dict_config

    configure_logging(settings.worker.log_level)
    log = logging.getLogger("streamproc.worker")
    log.info(startup_summary(settings))
    log.info("waiting for Kafka at %s (up to %gs)", settings.bootstrap_servers, settings.worker.broker_wait_s)
    with _silenced("aiokafka"):  # its connection errors while we wait say nothing the final line does not
        record_limits = _run(_ensure_topics(settings))
    try:
        # Refuses faust/aiokafka versions the Faust corrections were not verified on (ConfigError).
        handle = create_worker(settings, record_limits=record_limits)
    except StreamprocError as exc:
        _fail(str(exc))
    faust_worker = faust.Worker(
        handle.app,
        loglevel=settings.worker.log_level.upper(),
        logging_config=logging_dict_config(settings.worker.log_level),
        quiet=True,
    )
    # Faust's terminal spinner sets the root logger to DEBUG (every aiokafka debug record is then
    # built, ~9% of the loop); a service has no terminal to spin on.
    faust_worker.spinner = None
    faust_worker.execute_from_commandline()


# ----------------------------------------------------------------------------- produce / consume
def _read_inputs(paths: tuple[str, ...], options: InputOptions) -> tuple[list[InputItem], int | None]:
    try:
        total = count_inputs(paths, options)
        return list(iter_inputs(paths, options)), total
    except (OSError, StreamprocError) as exc:
        _fail(str(exc))


def _produce_report(summary: Any, topic: str) -> str:
    return (
        f"sent {summary.sent} message(s), {summary.bytes} bytes, to {topic} "
        f"in {summary.seconds:.2f}s ({summary.failed} failed)"
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--topic", type=TOPIC, default=None, help="Target topic (default: kafka.topic_raw).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Messages per second (default: as fast as possible).",
)
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@_input_options
@click.pass_context
def produce(
    ctx: click.Context,
    paths: tuple[str, ...],
    topic: str | None,
    rate: float | None,
    progress: bool,
    lines: bool,
    split_arrays: bool,
) -> None:
    """Produce raw articles: files, directories, globs, .jsonl/.ndjson (one item per line), - for stdin.

    One file is one message, sent as is (bytes untouched); --lines and --split-arrays split them.
    Each input that fails is named with its reason; the summary counts what the broker acknowledged.
    """
    from streamproc.kafka.clients import ProduceSummary, produce_items

    settings = _settings(ctx)
    topic = topic or settings.kafka.topic_raw
    summary = ProduceSummary()
    with _reports_when_stopped(lambda: _produce_report(summary, topic)):
        items, total = _read_inputs(paths, InputOptions(lines=lines, split_arrays=split_arrays))
        summary.started = time.monotonic()  # the time reported is the sending's, not the reading's
        with click.progressbar(
            length=total or len(items),
            label="producing",
            file=sys.stderr,
            hidden=not progress or not sys.stderr.isatty(),
        ) as bar:
            _run(
                produce_items(
                    settings,
                    items,
                    topic=topic,
                    rate=rate,
                    on_sent=lambda _item: bar.update(1),
                    summary=summary,
                )
            )
    for name, reason in summary.failures:
        click.echo(f"failed: {name}: {reason}", err=True)
    click.echo(_produce_report(summary, topic), err=True)
    if summary.failed:
        sys.exit(1)


def _decoded_value(raw: bytes | None, decode_payload: bool) -> Any:
    if raw is None:  # a tombstone: shown as null, never a dead letter to replay
        return None
    try:
        value: Any = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")
    if decode_payload and isinstance(value, dict) and isinstance(value.get("payload_b64"), str):
        payload = base64.b64decode(value.pop("payload_b64"))
        value["payload"] = payload.decode("utf-8", "replace")
    return value


def _value_matches(regex: re.Pattern[str], raw: bytes | None) -> bool:
    """--grep: the value's text matches; a tombstone (no value) never does."""
    return raw is not None and regex.search(raw.decode("utf-8", "replace")) is not None


def _regex_option(text: str | None) -> re.Pattern[str] | None:
    """--grep compiled before anything connects: a broken pattern is wrong usage (click, exit 2)."""
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error as exc:
        raise click.BadParameter(f"{text!r} is not a valid regular expression: {exc}") from None


@cli.command()
@click.option("--topic", type=TOPIC, required=True, help="Topic to read (e.g. news.enriched).")
@click.option(
    "--from-beginning/--latest", default=True, help="Start at the oldest record (default) or the end."
)
@click.option(
    "--max", "max_records", type=click.IntRange(min=1), default=None, help="Stop after N matching records."
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0),
    default=10.0,
    help="Stop after S seconds without a new record (0: wait forever).",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "pretty"]), default="jsonl")
@click.option("--key", "key_filter", default=None, help="Only records with this exact key.")
@click.option(
    "--grep",
    "regex",
    default=None,
    callback=lambda _ctx, _param, text: _regex_option(text),
    help="Only records whose value matches this regex.",
)
@click.option(
    "--decode-payload",
    is_flag=True,
    help="Dead letters: show the original bytes as text (payload) instead of payload_b64.",
)
@click.pass_context
def consume(
    ctx: click.Context,
    topic: str,
    from_beginning: bool,
    max_records: int | None,
    timeout_s: float,
    fmt: str,
    key_filter: str | None,
    regex: re.Pattern[str] | None,
    decode_payload: bool,
) -> None:
    """Print records of a topic: one JSON object per line {topic, partition, offset, key, value}."""
    from streamproc.kafka.clients import consume_records

    settings = _settings(ctx)
    wanted_key = key_filter.encode() if key_filter is not None else None
    option = orjson.OPT_INDENT_2 if fmt == "pretty" else 0

    counts = {"shown": 0, "read": 0}  # kept outside run() so Ctrl-C/SIGTERM can say how far it got

    async def run() -> None:
        async for record in consume_records(
            settings, topic, from_beginning=from_beginning, timeout_s=timeout_s or None
        ):
            counts["read"] += 1
            if wanted_key is not None and record.key != wanted_key:
                continue
            if regex is not None and not _value_matches(regex, record.value):
                continue
            line = {
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "key": record.key.decode("utf-8", "replace") if record.key is not None else None,
                "value": _decoded_value(record.value, decode_payload),
            }
            click.echo(orjson.dumps(line, option=option).decode())
            counts["shown"] += 1
            if max_records is not None and counts["shown"] >= max_records:
                break

    def report() -> str:
        shown, read = counts["shown"], counts["read"]
        filtered = f" ({read} read, {read - shown} filtered out)" if wanted_key is not None or regex else ""
        return f"read {shown} record(s) from {topic}{filtered}"

    with _reports_when_stopped(report):
        _run(run())
    click.echo(report(), err=True)


# ----------------------------------------------------------------------------- dlq
@cli.group()
def dlq() -> None:
    """Dead letters: replay their original bytes after a fix."""


def _parse_since(text: str) -> datetime:
    """An ISO 8601 time (UTC when no zone) or a duration back from now: 30m, 2h, 7d."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", text.strip())
    if match:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match[2]]
        try:
            moment: datetime = datetime.now(UTC) - timedelta(**{unit: float(match[1])})
        except OverflowError:  # before year 1: no dead letter is that old
            raise click.BadParameter(f"{text!r} reaches back before year 1; use a shorter duration") from None
        return moment
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: use an ISO time (2025-09-05T12:00Z) or a duration (30m, 2h, 7d)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _since_option(text: str | None) -> datetime | None:
    """--since as a moment, checked before anything connects (click names the option on error)."""
    return _parse_since(text) if text else None


def _replayable(value: Any, code: str | None, since: datetime | None) -> bytes | None:
    """A dead letter's original bytes when it passes the filters (None: skip it)."""
    if not isinstance(value, dict) or not isinstance(value.get("payload_b64"), str):
        return None
    if code is not None and (value.get("error") or {}).get("code") != code:
        return None
    if since is not None:
        try:
            received = datetime.fromisoformat(str(value.get("received_at")).replace("Z", "+00:00"))
        except ValueError:
            return None
        if received.tzinfo is None:
            received = received.replace(tzinfo=UTC)
        if received < since:
            return None
    payload: bytes = base64.b64decode(value["payload_b64"])
    return payload


@dlq.command("replay")
@click.option(
    "--code",
    type=click.Choice([code.value for code in ErrorCode]),  # a typo would match nothing, silently
    default=None,
    help="Only dead letters with this error code (e.g. no_body).",
)
@click.option(
    "--since",
    "since",
    default=None,
    callback=lambda _ctx, _param, text: _since_option(text),
    help="Only those received since: ISO time or 30m/2h/7d.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be replayed; send nothing.")
@click.option(
    "--to", "target", type=TOPIC, default=None, help="Topic to replay to (default: kafka.topic_raw)."
)
@_timeout_option(5.0, "Stop reading after S idle seconds.")
@click.pass_context
def dlq_replay(
    ctx: click.Context,
    code: str | None,
    since: datetime | None,
    dry_run: bool,
    target: str | None,
    timeout_s: float,
) -> None:
    """Re-produce dead letters' original bytes (payload_b64) to the raw topic, e.g. after a fix."""
    from streamproc.kafka.clients import ProduceSummary, consume_records, produce_items, require_topic

    settings = _settings(ctx)
    target = target or settings.kafka.topic_raw
    # Kept outside the coroutines so Ctrl-C/SIGTERM can say how far it got.
    items: list[InputItem] = []
    read = [0]
    summary = ProduceSummary()

    async def collect() -> None:
        # Reading first: its client turns an unreachable broker into one line.
        async for record in consume_records(settings, settings.kafka.topic_dlq, timeout_s=timeout_s):
            read[0] += 1
            payload = _replayable(_decoded_value(record.value, False), code, since)
            if payload is not None:
                items.append(InputItem(f"{record.topic}/{record.partition}/{record.offset}", payload))
        await require_topic(target, settings)  # a mistyped --to is named even with nothing to replay

    def report() -> str:
        if dry_run:
            return f"would replay {len(items)} of {read[0]} dead letter(s) to {target} (dry run)"
        return f"replayed {summary.sent} of {read[0]} dead letter(s) to {target} ({summary.failed} failed)"

    with _reports_when_stopped(report):
        _run(collect())
        if items and not dry_run:
            _run(produce_items(settings, items, topic=target, summary=summary))
    for name, reason in summary.failures:
        click.echo(f"failed: {name}: {reason}", err=True)
    click.echo(report(), err=True)
    if summary.failed:
        sys.exit(1)


# ----------------------------------------------------------------------------- process (offline)
def _raw_messages(items: list[InputItem]) -> Iterator[RawMessage]:
    now = datetime.now(UTC)
    for index, item in enumerate(items):
        yield RawMessage(
            payload=item.payload,
            received_at=now,
            source_offset=SourceOffset("process", 0, index),
            # Distinct, increasing event times keep "first seen" equal to input order.
            timestamp=datetime.fromtimestamp(now.timestamp() + index * 1e-3, UTC),
        )


def _input_index(value: Any) -> int | None:
    offset = value.get("source_offset") if isinstance(value, dict) else getattr(value, "source_offset", None)
    if isinstance(offset, dict):
        return int(offset["offset"])
    return offset.offset if isinstance(offset, SourceOffset) else None


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@_input_options
@click.option(
    "--stories",
    "with_stories",
    is_flag=True,
    help="Also print the news.stories records each article changed, after its line.",
)
@click.pass_context
def process(
    ctx: click.Context, paths: tuple[str, ...], lines: bool, split_arrays: bool, with_stories: bool
) -> None:
    """Run the pipeline offline (no broker) and print one JSON line per input, in order:

    {"input": file, "topic": ..., "key": ..., "value": {...}}, where value is what the worker would
    publish. With --stories, each article's line is followed by the news.stories records it changed
    (keyed by story id, "input" the article's file); without it the output stays one line per input,
    which scripts that pair lines with inputs rely on. A summary goes to stderr.
    """
    from dataclasses import replace

    from streamproc.enrich.pool import EnrichmentPool
    from streamproc.pipeline import OfflineRunner

    settings = _settings(ctx)
    started = time.monotonic()
    items, _ = _read_inputs(paths, InputOptions(lines=lines, split_arrays=split_arrays))
    topics = {
        "enriched": settings.kafka.topic_enriched,
        "duplicates": settings.kafka.topic_duplicates,
        "dlq": settings.kafka.topic_dlq,
        "stories": settings.kafka.topic_stories,
    }
    counts = dict.fromkeys(topics, 0)
    out = sys.stdout.buffer
    # In-process (a thread): no worker processes to spawn for a handful of files.
    with (
        _reports_when_stopped(_processed_report(counts, len(items))),
        EnrichmentPool(replace(settings.enrich, processes=0)) as pool,
    ):
        runner = OfflineRunner(settings, pool, with_stories=with_stories)
        name: str | None = None
        for output in runner.run(_raw_messages(items), batch_size=settings.enrich.pipe_batch_size):
            if output.role != "stories":  # a story record follows the article that changed it
                index = _input_index(output.value)
                name = items[index].name if index is not None and 0 <= index < len(items) else None
            line = {"input": name, "topic": topics[output.role], "key": output.key, "value": output.value}
            # Counted before the write: a stop lands while the next output is computed, right after
            # a line went out (counting after the write missed that line in the interruption's count).
            counts[output.role] += 1
            out.write(dumps(line) + b"\n")
            out.flush()
    click.echo(
        f"processed {len(items)} input(s) in {time.monotonic() - started:.1f}s: {_output_counts(counts)}",
        err=True,
    )


def _output_counts(counts: dict[str, int]) -> str:
    return (
        f"{counts['enriched']} enriched, {counts['duplicates']} duplicate(s), "
        f"{counts['dlq']} dead letter(s), {counts['stories']} story record(s)"
    )


def _processed_report(counts: dict[str, int], inputs: int) -> Callable[[], str]:
    """How far `process` got, for the line an interruption prints."""

    def report() -> str:
        outputs = counts["enriched"] + counts["duplicates"] + counts["dlq"]
        return f"processed {outputs} of {inputs} input(s): {_output_counts(counts)}"

    return report


# ----------------------------------------------------------------------------- config
@cli.command("config")
@click.option(
    "--env",
    "show_env",
    is_flag=True,
    help="List the environment variables that override settings, with default and current values.",
)
@click.pass_context
def show_config(ctx: click.Context, show_env: bool) -> None:
    """Print the effective settings (file + environment) as JSON; secrets are masked."""
    settings = _settings(ctx)
    config_file = ctx.obj["config_file"]
    source = f"settings from {config_file}" if config_file else "no settings file: built-in defaults"
    click.echo(f"{source} + STREAMPROC_* environment variables", err=True)
    if show_env:
        rows = env_vars(settings)
        width = max(len(row.name) for row in rows)
        click.echo(f"{'variable':<{width}}  {'default':<24}  current")
        for row in rows:
            origin = "  (set in the environment)" if row.from_env else ""
            click.echo(f"{row.name:<{width}}  {row.default:<24}  {row.current}{origin}")
        return
    effective: dict[str, Any] = dict(settings.to_dict())
    effective["effective"] = {
        "config_file": str(config_file) if config_file else None,
        "bootstrap_servers": settings.bootstrap_servers,
        "uses_local_broker": settings.uses_local_broker,
        "input_message_limit": settings.input_message_limit,
    }
    click.echo(orjson.dumps(effective, option=orjson.OPT_INDENT_2).decode())


# ----------------------------------------------------------------------------- demo
@cli.command()
@click.option(
    "--articles",
    "articles_dir",
    type=click.Path(exists=True),
    default=str(EXAMPLES_DIR),
    help="What to produce (default: the sample articles).",
)
@_timeout_option(180.0, "Give up after S seconds.")
@click.pass_context
def demo(ctx: click.Context, articles_dir: str, timeout_s: float) -> None:
    """The whole job once: local broker, worker, sample articles in, enriched records out."""
    from streamproc.worker.process import WorkerProcess
    from streamproc.worker.web import web_port_problem

    settings = _settings(ctx)
    # The demo's worker would exit on a taken port, and the demo could only say "exited with code 1".
    problem = web_port_problem(settings.worker.web_host, settings.worker.web_port)
    if problem is not None:
        _fail(problem)
    if settings.uses_local_broker:
        click.echo(
            "starting the local Kafka broker (first run resolves Kafka's jars with Maven)...", err=True
        )
        click.echo(f"broker at {_local_broker(settings).start()}", err=True)
    _run(_ensure_topics(settings))
    log_path = Path(settings.worker.data_dir) / "demo-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    click.echo(f"starting the worker (log: {log_path})...", err=True)
    worker = WorkerProcess.start(os.environ, settings.worker.web_port, log_path)
    # Ctrl-C and SIGTERM both reach the finally below, so the demo's worker never outlives it.
    with _reports_when_stopped(lambda: f"demo stopped; worker log: {log_path}"):
        _demo_round_trip(settings, articles_dir, timeout_s, worker, log_path)


def _demo_round_trip(
    settings: Settings, articles_dir: str, timeout_s: float, worker: WorkerProcess, log_path: Path
) -> None:
    """Produce the articles, print the outputs they gave, and stop the demo's worker in any case."""
    from streamproc.kafka.clients import produce_items

    try:
        items = list(iter_inputs([articles_dir]))
        started_ms = int(time.time() * 1000)
        summary = _run(produce_items(settings, items))
        click.echo(f"produced {summary.sent} article(s) to {settings.kafka.topic_raw}", err=True)
        outputs = _collect_outputs(settings, len(items), started_ms, timeout_s, worker.proc, log_path)
        for topic, value in outputs:
            click.echo(orjson.dumps({"topic": topic, "value": value}, option=orjson.OPT_INDENT_2).decode())
        click.echo(f"{len(outputs)} output record(s) for {len(items)} input(s)", err=True)
        if len(outputs) < len(items):
            _fail(f"timed out after {timeout_s:.0f}s; see {log_path}")
    finally:
        worker.stop(timeout=30)


def _collect_outputs(
    settings: Settings,
    expected: int,
    started_ms: int,
    timeout_s: float,
    worker_proc: subprocess.Popen[bytes],
    log_path: Path,
) -> list[tuple[str, Any]]:
    """Read the three output topics until ``expected`` records published since ``started_ms`` arrived."""
    from streamproc.kafka.clients import consume_records

    kafka = settings.kafka
    deadline = time.monotonic() + timeout_s

    async def read_all() -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for topic in (kafka.topic_enriched, kafka.topic_duplicates, kafka.topic_dlq):
            async for record in consume_records(settings, topic, timeout_s=1.0):
                if record.timestamp_ms >= started_ms:
                    found.append((topic, _decoded_value(record.value, False)))
        return found

    outputs: list[tuple[str, Any]] = []
    while time.monotonic() < deadline:
        if worker_proc.poll() is not None:
            _fail(f"the demo's worker exited with code {worker_proc.returncode}; see {log_path}")
        outputs = asyncio.run(read_all())
        if len(outputs) >= expected:
            break
        time.sleep(2)
    return outputs


# ----------------------------------------------------------------------------- bench (streamproc.bench)
_BENCH = BenchOptions()


_COUNT = click.IntRange(min=1)
_SHARE = click.FloatRange(min=0, max=1)


@cli.command()
@click.option("--articles", type=_COUNT, default=_BENCH.articles, show_default=True, help="Corpus size.")
@click.option(
    "--workers", type=_COUNT, default=_BENCH.workers, show_default=True, help="Workers of the scaling run."
)
@click.option(
    "--seed", type=int, default=_BENCH.seed, show_default=True, help="Corpus seed (same seed, same bytes)."
)
@click.option(
    "--exact-share",
    type=_SHARE,
    default=_BENCH.exact_share,
    show_default=True,
    help="Share of exact duplicates.",
)
@click.option(
    "--near-share",
    type=_SHARE,
    default=_BENCH.near_share,
    show_default=True,
    help="Share of near duplicates.",
)
@click.option(
    "--bad-share", type=_SHARE, default=_BENCH.bad_share, show_default=True, help="Share of bad inputs."
)
@click.option(
    "--latency-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=_BENCH.latency_seconds,
    show_default=True,
    help="Fixed-load phase length.",
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=_BENCH.repeat,
    show_default=True,
    help="1-worker runs, each after a raw nlp.pipe run; the best of each counts.",
)
@click.option("--out", type=click.Path(dir_okay=False), default="benchmarks/results/pipeline.json")
@click.option("--plot", type=click.Path(dir_okay=False), default="benchmarks/results/pipeline.png")
@click.pass_context
def bench(
    ctx: click.Context,
    articles: int,
    workers: int,
    seed: int,
    exact_share: float,
    near_share: float,
    bad_share: float,
    latency_seconds: float,
    repeat: int,
    out: str,
    plot: str,
) -> None:
    """Benchmark the pipeline end to end on real Kafka: throughput (1 and K workers), latency at 50%
    load, stage shares, memory, state size, against raw nlp.pipe and a naive agent. Writes JSON + PNG."""
    from streamproc.bench.plot import plot_report
    from streamproc.bench.runner import run_bench

    options = BenchOptions(
        articles=articles,
        workers=workers,
        seed=seed,
        exact_share=exact_share,
        near_share=near_share,
        bad_share=bad_share,
        latency_seconds=latency_seconds,
        repeat=repeat,
    )
    try:
        options.corpus_spec().counts()  # shares that leave no originals: said before the broker starts
    except ValueError as exc:
        raise click.UsageError(f"{exc} (--exact-share, --near-share, --bad-share)") from None
    try:
        with _reports_when_stopped(lambda: "benchmark stopped; no report written"):
            report = run_bench(_settings(ctx), options, log=lambda line: click.echo(line, err=True))
    except (StreamprocError, ValueError) as exc:
        _fail(str(exc))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n")
    plot_report(report, Path(plot))
    click.echo(
        orjson.dumps(
            {
                k: report[k]
                for k in (
                    "throughput_articles_per_s",
                    "raw_nlp_pipe_articles_per_s",
                    "ratio_to_raw",
                    "scaling_2_workers",
                    "naive_articles_per_s",
                    "ratio_to_naive",
                    "latency_p50_s",
                    "latency_p99_s",
                )
            },
            option=orjson.OPT_INDENT_2,
        ).decode()
    )
    click.echo(f"wrote {out} and {plot}", err=True)


# ----------------------------------------------------------------------------- end bench


def main() -> None:
    """The ``streamproc`` command. Ctrl-C ends any command with one line and exit code 130 (the
    shell's convention for SIGINT) instead of click's "Aborted!" and 1; produce, consume and dlq
    replay first say what they did so far, and end the same way on SIGTERM (exit code 143)."""
    try:
        # Commands return None; an int is the code of click's Exit (--help, --version, ctx.exit).
        outcome = cli.main(prog_name="streamproc", standalone_mode=False)
    except click.ClickException as exc:  # wrong usage: click's own message and exit code 2
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except StreamprocError as exc:  # an expected failure no command caught itself: still one line
        _fail(str(exc))
    sys.exit(outcome if isinstance(outcome, int) else 0)


if __name__ == "__main__":
    main()
