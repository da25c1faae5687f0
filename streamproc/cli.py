"""``streamproc`` command line: broker, worker, produce, consume, process, config, demo."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import orjson

from streamproc.config import Settings, env_var_names, load_settings
from streamproc.errors import StreamprocError
from streamproc.inputs import InputItem, count_inputs, iter_inputs
from streamproc.models import RawMessage, SourceOffset, dumps

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Settings file (TOML). Default: $STREAMPROC_CONFIG or config/streamproc.toml.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """streamproc: a Kafka stream processor for news articles."""
    try:
        ctx.obj = {"settings": load_settings(config_path)}
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


@broker.command("status")
@click.pass_context
def broker_status(ctx: click.Context) -> None:
    """Say whether the local broker runs and answers."""
    status = _local_broker(_settings(ctx)).status()
    state = "running" if status.running else "stopped"
    click.echo(f"{state} pid={status.pid} bootstrap={status.bootstrap} answering={status.answering}")
    if not status.running:
        sys.exit(3)


# ----------------------------------------------------------------------------- worker
async def _ensure_topics(settings: Settings) -> None:
    from streamproc.kafka.admin import ensure_topics, kafka_client_kwargs, wait_until_ready

    kwargs = kafka_client_kwargs(settings.kafka)
    await wait_until_ready(settings.bootstrap_servers, 60.0, **kwargs)
    kafka = settings.kafka
    names = [kafka.topic_raw, kafka.topic_enriched, kafka.topic_duplicates, kafka.topic_dlq]
    await ensure_topics(
        settings.bootstrap_servers,
        {name: kafka.partitions for name in names},
        kafka.replication_factor,
        **kwargs,
    )
    # The app's internal topics too: one that Faust declares while the group forms is missing from the
    # first assignment ("Ignoring missing topic") and stays unconsumed, so the join never completes.
    from streamproc.app import internal_topics

    repartition, changelogs = internal_topics(settings)
    await ensure_topics(
        settings.bootstrap_servers,
        {name: kafka.partitions for name in repartition},
        kafka.replication_factor,
        **kwargs,
    )
    await ensure_topics(
        settings.bootstrap_servers,
        {name: kafka.partitions for name in changelogs},
        kafka.replication_factor,
        {"cleanup.policy": "compact"},  # as Faust creates changelogs: table state must not expire
        **kwargs,
    )


@cli.command()
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Run the stream processor (creates its topics when missing). Ctrl-C / SIGTERM stops it cleanly."""
    import faust

    from streamproc.app import create_worker
    from streamproc.logs import configure_logging, logging_dict_config

    settings = _settings(ctx)
    configure_logging(settings.worker.log_level)
    try:
        asyncio.run(_ensure_topics(settings))
        handle = create_worker(settings)  # refuses unverified faust/aiokafka versions (ConfigError)
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
@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--topic", default=None, help="Target topic (default: kafka.topic_raw).")
@click.option("--rate", type=float, default=None, help="Messages per second (default: as fast as possible).")
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on stderr.")
@click.pass_context
def produce(
    ctx: click.Context, paths: tuple[str, ...], topic: str | None, rate: float | None, progress: bool
) -> None:
    """Produce raw articles: files, directories, globs, .jsonl (one item per line), - for stdin.

    One file is one message, sent as is (bytes untouched).
    """
    from streamproc.kafka.clients import produce_items

    settings = _settings(ctx)
    try:
        total = count_inputs(paths)
        items = list(iter_inputs(paths))
    except (OSError, StreamprocError) as exc:
        _fail(str(exc))
    with click.progressbar(
        length=total or len(items), label="producing", file=sys.stderr, hidden=not progress
    ) as bar:
        summary = asyncio.run(
            produce_items(settings, items, topic=topic, rate=rate, on_sent=lambda _item: bar.update(1))
        )
    click.echo(
        f"sent {summary.sent} message(s), {summary.bytes} bytes, to {topic or settings.kafka.topic_raw} "
        f"in {summary.seconds:.2f}s ({summary.failed} failed)",
        err=True,
    )
    if summary.failed:
        sys.exit(1)


@cli.command()
@click.option("--topic", required=True, help="Topic to read (e.g. news.enriched).")
@click.option(
    "--from-beginning/--latest", default=True, help="Start at the oldest record (default) or the end."
)
@click.option("--max", "max_records", type=int, default=None, help="Stop after N records.")
@click.option(
    "--timeout",
    "timeout_s",
    type=float,
    default=10.0,
    help="Stop after S seconds without a new record (0: wait forever).",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "pretty"]), default="jsonl")
@click.pass_context
def consume(
    ctx: click.Context, topic: str, from_beginning: bool, max_records: int | None, timeout_s: float, fmt: str
) -> None:
    """Print records of a topic: one JSON object per line {topic, partition, offset, key, value}."""
    from streamproc.kafka.clients import consume_records

    settings = _settings(ctx)

    async def run() -> int:
        count = 0
        async for record in consume_records(
            settings,
            topic,
            from_beginning=from_beginning,
            max_records=max_records,
            timeout_s=timeout_s or None,
        ):
            try:
                value: Any = orjson.loads(record.value)
            except orjson.JSONDecodeError:
                value = record.value.decode("utf-8", "replace")
            line = {
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "key": record.key.decode("utf-8", "replace") if record.key is not None else None,
                "value": value,
            }
            option = orjson.OPT_INDENT_2 if fmt == "pretty" else 0
            click.echo(orjson.dumps(line, option=option).decode())
            count += 1
        return count

    count = asyncio.run(run())
    click.echo(f"read {count} record(s) from {topic}", err=True)


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


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_context
def process(ctx: click.Context, paths: tuple[str, ...]) -> None:
    """Run the pipeline offline (no broker) and print one JSON line per input, in order:

    {"topic": ..., "key": ..., "value": {...}}, where value is what the worker would publish.
    """
    from dataclasses import replace

    from streamproc.enrich.pool import EnrichmentPool
    from streamproc.pipeline import OfflineRunner

    settings = _settings(ctx)
    try:
        items = list(iter_inputs(paths))
    except (OSError, StreamprocError) as exc:
        _fail(str(exc))
    topics = {
        "enriched": settings.kafka.topic_enriched,
        "duplicates": settings.kafka.topic_duplicates,
        "dlq": settings.kafka.topic_dlq,
    }
    out = sys.stdout.buffer
    # In-process (a thread): no worker processes to spawn for a handful of files.
    with EnrichmentPool(replace(settings.enrich, processes=0)) as pool:
        runner = OfflineRunner(settings, pool)
        for output in runner.run(_raw_messages(items), batch_size=settings.enrich.pipe_batch_size):
            out.write(dumps({"topic": topics[output.role], "key": output.key, "value": output.value}) + b"\n")
            out.flush()


# ----------------------------------------------------------------------------- config
@cli.command("config")
@click.option(
    "--env", "show_env", is_flag=True, help="List the environment variables that override settings."
)
@click.pass_context
def show_config(ctx: click.Context, show_env: bool) -> None:
    """Print the effective settings (file + environment) as JSON; secrets are masked."""
    settings = _settings(ctx)
    if show_env:
        click.echo("\n".join(env_var_names()))
        return
    effective = settings.to_dict()
    effective["effective"] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "uses_local_broker": settings.uses_local_broker,
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
@click.option("--timeout", "timeout_s", type=float, default=180.0, help="Give up after S seconds.")
@click.pass_context
def demo(ctx: click.Context, articles_dir: str, timeout_s: float) -> None:
    """The whole job once: local broker, worker, sample articles in, enriched records out."""
    from streamproc.kafka.clients import produce_items

    settings = _settings(ctx)
    if settings.uses_local_broker:
        click.echo(
            "starting the local Kafka broker (first run resolves Kafka's jars with Maven)...", err=True
        )
        click.echo(f"broker at {_local_broker(settings).start()}", err=True)
    asyncio.run(_ensure_topics(settings))
    log_path = Path(settings.worker.data_dir) / "demo-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    click.echo(f"starting the worker (log: {log_path})...", err=True)
    with log_path.open("ab") as log_file:
        worker_proc = subprocess.Popen(
            [sys.executable, "-m", "streamproc", "worker"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
    try:
        items = list(iter_inputs([articles_dir]))
        started_ms = int(time.time() * 1000)
        summary = asyncio.run(produce_items(settings, items))
        click.echo(f"produced {summary.sent} article(s) to {settings.kafka.topic_raw}", err=True)
        outputs = _collect_outputs(settings, len(items), started_ms, timeout_s, worker_proc)
        for topic, value in outputs:
            click.echo(orjson.dumps({"topic": topic, "value": value}, option=orjson.OPT_INDENT_2).decode())
        click.echo(f"{len(outputs)} output record(s) for {len(items)} input(s)", err=True)
        if len(outputs) < len(items):
            _fail(f"timed out after {timeout_s:.0f}s; see {log_path}")
    finally:
        worker_proc.terminate()
        try:
            worker_proc.wait(30)
        except subprocess.TimeoutExpired:
            worker_proc.kill()


def _collect_outputs(
    settings: Settings, expected: int, started_ms: int, timeout_s: float, worker_proc: subprocess.Popen[bytes]
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
                    found.append((topic, orjson.loads(record.value)))
        return found

    outputs: list[tuple[str, Any]] = []
    while time.monotonic() < deadline:
        if worker_proc.poll() is not None:
            _fail(f"the worker exited with code {worker_proc.returncode}")
        outputs = asyncio.run(read_all())
        if len(outputs) >= expected:
            break
        time.sleep(2)
    return outputs


# ----------------------------------------------------------------------------- bench (streamproc.bench)
@cli.command()
@click.option("--articles", type=int, default=200, show_default=True, help="Corpus size.")
@click.option("--workers", type=int, default=2, show_default=True, help="Workers of the scaling run.")
@click.option("--seed", type=int, default=42, show_default=True, help="Corpus seed (same seed, same bytes).")
@click.option("--exact-share", type=float, default=0.05, show_default=True, help="Share of exact duplicates.")
@click.option("--near-share", type=float, default=0.05, show_default=True, help="Share of near duplicates.")
@click.option("--bad-share", type=float, default=0.03, show_default=True, help="Share of bad inputs.")
@click.option(
    "--latency-seconds", type=float, default=30.0, show_default=True, help="Fixed-load phase length."
)
@click.option(
    "--repeat",
    type=click.IntRange(min=1),
    default=2,
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
    from streamproc.bench.runner import BenchOptions, run_bench

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
    cli(prog_name="streamproc")


if __name__ == "__main__":
    main()
