"""The local stack checked without Docker: docker-compose.yml, the Dockerfile, Prometheus and Grafana files.

There is no Docker engine on the build machines, so these tests read the files and check that they
agree with each other and with the project: every referenced file exists, service names, ports and
environment variables match the settings, the topics created are the ones the app uses, and every
metric the dashboard and the alert rules query is one the worker exports.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from faust.sensors.prometheus import FaustMetrics
from prometheus_client import CollectorRegistry

from streamproc.config import KafkaSettings, WorkerSettings, env_var_names, load_settings
from streamproc.metrics import FAUST_METRICS_PREFIX, create_metrics

REPO = Path(__file__).resolve().parents[2]
COMPOSE_PATH = REPO / "docker-compose.yml"
DOCKERFILE_PATH = REPO / "Dockerfile"
PROMETHEUS_PATH = REPO / "config" / "prometheus.yml"
ALERTS_PATH = REPO / "config" / "alerts.yml"
DASHBOARD_PATH = REPO / "config" / "grafana" / "dashboards" / "streamproc.json"
GRAFANA_PROVISIONING = REPO / "config" / "grafana" / "provisioning"

EXPECTED_SERVICES = {"kafka", "kafka-init", "worker", "producer", "prometheus", "grafana"}
# Series Prometheus adds itself (scrape health), not exported by the worker.
PROMETHEUS_SYNTHETIC_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
SERIES_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "info": ("_info",),
}


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def compose() -> dict[str, Any]:
    document = _load_yaml(COMPOSE_PATH)
    assert isinstance(document, dict)
    return document


def services() -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = compose()["services"]
    return result


_INTERPOLATION = re.compile(r"\$\{(\w+):-([^}]*)\}")


def with_defaults(value: Any) -> str:
    """A compose value as it is when no variable is set: ``${NAME:-default}`` becomes ``default``."""
    text = str(value)
    assert "$" not in _INTERPOLATION.sub("", text), f"{text}: only ${{NAME:-default}} is used here"
    return _INTERPOLATION.sub(lambda match: match.group(2), text)


def service_env(name: str) -> dict[str, str]:
    env = services()[name].get("environment", {})
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) for item in env)
    return {str(k): with_defaults(v) for k, v in env.items()}


def published_ports(name: str) -> dict[int, int]:
    """Container port -> host port for a service's "host:container" mappings."""
    ports = {}
    for raw in services()[name].get("ports", []):
        mapping = with_defaults(raw)
        host, container = str(mapping).rsplit(":", 1) if ":" in str(mapping) else (mapping, mapping)
        ports[int(str(container).split("/")[0])] = int(str(host).rsplit(":", 1)[-1])
    return ports


def bind_mounts(name: str) -> list[tuple[Path, str]]:
    """(repo path, container path) of every ``./...`` bind mount of a service."""
    mounts = []
    for volume in services()[name].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append(((REPO / source).resolve(), target))
    return mounts


def container_path_to_repo(service: str, container_path: str) -> Path | None:
    """The repo file a container path of ``service`` comes from via a bind mount, if any."""
    for source, target in bind_mounts(service):
        target_path = PurePosixPath(target)
        wanted = PurePosixPath(container_path)
        if wanted == target_path or target_path in wanted.parents:
            return source.joinpath(*wanted.relative_to(target_path).parts)
    return None


def settings_in(service: str) -> Any:
    """The settings the service's streamproc process would load (image's config/ + compose env)."""
    config_file = REPO / "config" / "streamproc.toml"
    return load_settings(config_file if config_file.exists() else None, env=service_env(service))


def shell_words(command: Any) -> list[str]:
    if isinstance(command, list):
        return [word for part in command for word in shlex.split(str(part))]
    return shlex.split(str(command))


# -- metric names ------------------------------------------------------------------------------------


@cache
def exported_series_names() -> frozenset[str]:
    """Every series name the worker's /metrics can expose: domain metrics plus Faust's monitor."""
    registry = CollectorRegistry()
    create_metrics(registry)
    FaustMetrics.create(registry, FAUST_METRICS_PREFIX)
    names = set()
    # Labelled metrics have no samples until a child exists, so derive series names from the type.
    for family in registry.collect():
        for suffix in SERIES_SUFFIXES[family.type]:
            names.add(family.name + suffix)
    return frozenset(names)


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def metric_names_in(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers with the project's prefixes, plus ``up``."""
    unquoted = _QUOTED.sub('""', expr)
    tokens = set(_IDENTIFIER.findall(unquoted))
    return {t for t in tokens if t.startswith(("streamproc_", f"{FAUST_METRICS_PREFIX}_")) or t == "up"}


def label_matchers(expr: str, label: str) -> set[str]:
    return set(re.findall(rf"\b{label}\s*=~?\s*[\"']([^\"']*)[\"']", expr))


def dashboard() -> dict[str, Any]:
    document = json.loads(DASHBOARD_PATH.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def dashboard_panels(panels: list[dict[str, Any]] | None = None) -> Iterator[dict[str, Any]]:
    for panel in dashboard()["panels"] if panels is None else panels:
        yield panel
        yield from dashboard_panels(panel.get("panels", []))


def dashboard_exprs() -> list[str]:
    return [t["expr"] for p in dashboard_panels() for t in p.get("targets", []) if t.get("expr")]


def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in _load_yaml(ALERTS_PATH)["groups"] for rule in group["rules"]]


# -- compose ---------------------------------------------------------------------------------------


def test_compose_has_the_whole_stack() -> None:
    assert set(services()) == EXPECTED_SERVICES


def test_images_are_pinned() -> None:
    for name, service in services().items():
        image = service.get("image")
        if image is None:
            assert "build" in service, name
            continue
        repository, _, tag = str(image).rpartition(":")
        assert repository and tag and tag != "latest", f"{name}: image {image} is not pinned to a tag"
    assert str(services()["kafka"]["image"]).startswith("apache/kafka:")
    assert services()["kafka-init"]["image"] == services()["kafka"]["image"]


def test_build_context_and_dockerfile_exist() -> None:
    built = [name for name, s in services().items() if "build" in s]
    assert "worker" in built
    for name in built:
        build = services()[name]["build"]
        context = REPO / (build if isinstance(build, str) else build.get("context", "."))
        dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        assert context.is_dir(), name
        assert (context / dockerfile).is_file(), name


def test_mounted_files_exist_and_named_volumes_are_declared() -> None:
    declared = set(compose().get("volumes") or {})
    for name, service in services().items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if source.startswith((".", "/")):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_depends_on_targets_exist_and_conditions_are_met() -> None:
    for name, service in services().items():
        depends = service.get("depends_on", {})
        items = {d: {} for d in depends} if isinstance(depends, list) else depends
        for target, spec in items.items():
            assert target in services(), f"{name} depends on unknown service {target}"
            condition = spec.get("condition", "service_started")
            if condition == "service_healthy":
                assert "healthcheck" in services()[target], f"{target} has no healthcheck for {name}"
            elif condition == "service_completed_successfully":
                assert services()[target].get("restart", "no") == "no", target
            else:
                assert condition == "service_started", condition


def test_kafka_is_a_single_kraft_node_with_internal_and_host_listeners() -> None:
    env = service_env("kafka")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    advertised = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    assert advertised["PLAINTEXT"] == "kafka:9092"
    host_listener = [addr for lst, addr in advertised.items() if lst != "PLAINTEXT"]
    assert host_listener == ["localhost:9094"]
    assert published_ports("kafka") == {9094: 9094}
    healthcheck = " ".join(shell_words(services()["kafka"]["healthcheck"]["test"]))
    assert "/opt/kafka/bin/kafka-broker-api-versions.sh" in healthcheck
    # The host port can move, and what Kafka advertises to host clients moves with it.
    [port_mapping] = [str(p) for p in services()["kafka"]["ports"]]
    host_port_expr = port_mapping.rsplit(":", 1)[0]
    assert f"EXTERNAL://localhost:{host_port_expr}" in str(
        services()["kafka"]["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    )


def test_kafka_keeps_data_in_a_volume_and_takes_messages_up_to_parse_max_bytes() -> None:
    env = service_env("kafka")
    [data_dir] = env["KAFKA_LOG_DIRS"].split(",")
    volumes = {str(v).split(":")[1]: str(v).split(":")[0] for v in services()["kafka"]["volumes"]}
    assert volumes[data_dir] in (compose().get("volumes") or {})  # a named volume, not the container's
    max_bytes = settings_in("worker").parse.max_bytes
    # Headroom: the JSON envelope, Kafka's record overhead, an enriched record longer than its input.
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) >= 2 * max_bytes


def test_worker_env_names_are_real_settings_and_load() -> None:
    known = set(env_var_names())
    for name in ("worker", "producer"):
        env = service_env(name)
        unknown = {k for k in env if k.startswith("STREAMPROC_")} - known
        assert not unknown, f"{name}: {unknown} are not settings"
        settings = settings_in(name)  # raises ConfigError on a value that does not coerce
        host, port = settings.kafka.bootstrap.rsplit(":", 1)
        assert host in services(), f"{name}: bootstrap host {host} is not a compose service"
        assert f"PLAINTEXT://{host}:{port}" in service_env(host)["KAFKA_ADVERTISED_LISTENERS"]


def test_worker_port_matches_settings_healthcheck_and_prometheus_target() -> None:
    settings = settings_in("worker")
    assert settings.worker.web_port == WorkerSettings().web_port  # compose keeps the default port
    assert settings.worker.web_host == "0.0.0.0"  # reachable from other containers
    assert settings.worker.web_port in published_ports("worker")
    healthcheck = " ".join(shell_words(services()["worker"]["healthcheck"]["test"]))
    assert f":{settings.worker.web_port}/health" in healthcheck
    targets = [
        target
        for job in _load_yaml(PROMETHEUS_PATH)["scrape_configs"]
        if job["job_name"] == "streamproc"
        for static in job["static_configs"]
        for target in static["targets"]
    ]
    assert targets == [f"worker:{settings.worker.web_port}"]


def test_worker_keeps_its_static_group_instance_id_when_recreated() -> None:
    from streamproc.kafka.membership import group_instance_id

    settings = settings_in("worker")
    # Compose names a recreated container's host after its new container id unless set.
    hostname = services()["worker"].get("hostname")
    assert hostname, "the worker needs a fixed hostname"
    instance = group_instance_id(settings.worker, hostname)
    assert instance is not None and hostname in instance


def test_kafka_init_creates_exactly_the_app_topics() -> None:
    words = shell_words(services()["kafka-init"]["command"])
    script = " ".join(words)
    created = re.findall(r"--topic\s+(\S+)", script)
    defaults = KafkaSettings()
    expected = {defaults.topic_raw, defaults.topic_enriched, defaults.topic_duplicates, defaults.topic_dlq}
    assert sorted(created) == sorted(expected)
    assert set(re.findall(r"--partitions\s+(\d+)", script)) == {str(defaults.partitions)}
    assert script.count("--if-not-exists") == len(expected)
    assert set(re.findall(r"--bootstrap-server\s+(\S+)", script)) == {"kafka:9092"}


def test_producer_feeds_the_sample_articles_after_the_worker_is_healthy() -> None:
    producer = services()["producer"]
    words = shell_words(producer["command"])
    assert words[:2] == ["streamproc", "produce"]
    for path in words[2:]:
        assert (REPO / path).exists(), path
    assert producer["depends_on"]["worker"]["condition"] == "service_healthy"
    assert producer["image"] == services()["worker"]["image"]


def test_compose_commands_exist_in_the_cli() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert "streamproc" in scripts
    try:
        from streamproc.cli import cli
    except ImportError as exc:  # the CLI is written concurrently with this file
        pytest.skip(f"streamproc.cli not importable yet: {exc}")
    for name in ("worker", "producer"):
        words = shell_words(services()[name]["command"])
        assert words[0] == "streamproc"
        assert words[1] in cli.commands, f"{name}: no `streamproc {words[1]}` command"


def test_prometheus_service_mounts_config_and_rules_where_the_config_expects_them() -> None:
    config_file = container_path_to_repo("prometheus", "/etc/prometheus/prometheus.yml")
    assert config_file == PROMETHEUS_PATH
    command = shell_words(services()["prometheus"]["command"])
    assert "--config.file=/etc/prometheus/prometheus.yml" in command
    for rule_file in _load_yaml(PROMETHEUS_PATH)["rule_files"]:
        # Relative rule files resolve against the config file's directory, in the repo and the container.
        assert (PROMETHEUS_PATH.parent / rule_file).is_file()
        assert container_path_to_repo("prometheus", f"/etc/prometheus/{rule_file}") == (
            PROMETHEUS_PATH.parent / rule_file
        )
    assert 9090 in published_ports("prometheus")


def test_grafana_provisioning_points_at_prometheus_and_the_mounted_dashboards() -> None:
    assert container_path_to_repo("grafana", "/etc/grafana/provisioning") == GRAFANA_PROVISIONING
    datasources = [
        ds
        for f in sorted((GRAFANA_PROVISIONING / "datasources").glob("*.yml"))
        for ds in _load_yaml(f)["datasources"]
    ]
    [prometheus_ds] = [ds for ds in datasources if ds["type"] == "prometheus"]
    host_port = prometheus_ds["url"].removeprefix("http://")
    host, port = host_port.split(":")
    assert host in services() and int(port) in published_ports(host)
    providers = [
        p
        for f in sorted((GRAFANA_PROVISIONING / "dashboards").glob("*.yml"))
        for p in _load_yaml(f)["providers"]
    ]
    assert providers
    for provider in providers:
        directory = container_path_to_repo("grafana", provider["options"]["path"])
        assert directory is not None and directory.is_dir()
        assert list(directory.glob("*.json")), "provider loads no dashboard"
    home = service_env("grafana")["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert container_path_to_repo("grafana", home) == DASHBOARD_PATH
    assert service_env("grafana")["GF_AUTH_ANONYMOUS_ENABLED"] == "true"
    assert service_env("grafana")["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"
    assert 3000 in published_ports("grafana")


# -- Dockerfile ------------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE_PATH.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def dockerignore_patterns() -> list[str]:
    path = REPO / ".dockerignore"
    lines = path.read_text().splitlines() if path.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dockerfile_builds_the_project_as_a_non_root_worker() -> None:
    instructions = dockerfile_instructions()
    # The base is a build argument (the compose test passes a stand-in) defaulting to the official image.
    assert instructions[0] == ("ARG", "BASE_IMAGE=python:3.11-slim")
    assert instructions[1] == ("FROM", "${BASE_IMAGE}")
    args = {kind: arg for kind, arg in instructions}  # last of each kind
    assert json.loads(args["CMD"]) == ["streamproc", "worker"]
    assert args["USER"] not in ("root", "0")
    assert any(kind == "RUN" and re.search(r"pip install (--no-deps )?\.", arg) for kind, arg in instructions)


def test_dockerfile_installs_dependencies_before_copying_code() -> None:
    # A code or README edit must reuse the dependency layer (spaCy and its pipeline): the RUN that
    # installs the dependencies sees pyproject.toml only.
    instructions = dockerfile_instructions()
    [deps_at] = [i for i, (kind, arg) in enumerate(instructions) if kind == "RUN" and "-r " in arg]
    copied_before = [shlex.split(arg)[:-1] for kind, arg in instructions[:deps_at] if kind == "COPY"]
    assert copied_before == [["pyproject.toml"]]
    copied_after = {
        src for kind, arg in instructions[deps_at:] if kind == "COPY" for src in shlex.split(arg)[:-1]
    }
    assert {"streamproc", "README.md"} <= copied_after


def test_dockerfile_copies_what_the_build_and_the_stack_need() -> None:
    ignored = dockerignore_patterns()
    copied: set[str] = set()
    for kind, arg in dockerfile_instructions():
        if kind != "COPY":
            continue
        *sources, _destination = shlex.split(arg)
        for source in sources:
            assert (REPO / source).exists(), f"COPY {source}: missing from the repo"
            assert not any(fnmatch(source, pattern) for pattern in ignored), f"COPY {source} is dockerignored"
            copied.add(source.rstrip("/"))
    # pip install . needs the package and the files pyproject names; the stack needs samples and config.
    readme = tomllib.loads((REPO / "pyproject.toml").read_text())["project"].get("readme")
    assert {"pyproject.toml", "streamproc", "examples", "config"} <= copied
    if readme:
        assert readme in copied


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    ignored = dockerignore_patterns()
    for path in (".venv", ".git", ".streamproc"):
        assert path in ignored


# -- dashboard and alerts --------------------------------------------------------------------------


def test_dashboard_and_alert_metrics_are_exported_by_the_worker() -> None:
    exported = exported_series_names() | PROMETHEUS_SYNTHETIC_SERIES
    exprs = dashboard_exprs() + [str(rule["expr"]) for rule in alert_rules()]
    assert exprs
    for expr in exprs:
        names = metric_names_in(expr)
        assert names, f"no known metric in {expr}"
        assert names <= exported, f"unknown metric(s) {names - exported} in {expr}"


def test_metric_name_check_rejects_a_typo() -> None:
    # Guards the check above: a misspelt series must not pass as exported.
    exported = exported_series_names()
    assert "streamproc_articles_received_total" in exported
    assert "faust_topic_messages_sent_total" in exported
    assert metric_names_in('rate(streamproc_articles_recieved_total{role="x"}[5m])') - exported


def test_topic_matchers_name_real_topics() -> None:
    defaults = KafkaSettings()
    topics = {defaults.topic_raw, defaults.topic_enriched, defaults.topic_duplicates, defaults.topic_dlq}
    used = set().union(*(label_matchers(e, "topic") for e in dashboard_exprs()))
    assert used <= topics


def test_alert_rules_hold_whatever_the_topics_are_called() -> None:
    # Topic names are settings (kafka.topic_*): a rule naming one would go silent after a rename.
    defaults = KafkaSettings()
    names = [defaults.topic_raw, defaults.topic_enriched, defaults.topic_duplicates, defaults.topic_dlq]
    for rule in alert_rules():
        assert not label_matchers(str(rule["expr"]), "topic"), rule["alert"]
        text = json.dumps(rule)
        assert not [name for name in names if name in text], rule["alert"]


def test_dashboard_uses_the_provisioned_datasource_everywhere() -> None:
    board = dashboard()
    assert board["schemaVersion"] >= 36
    assert board["uid"] == "streamproc"
    datasources = [
        ds
        for f in (GRAFANA_PROVISIONING / "datasources").glob("*.yml")
        for ds in _load_yaml(f)["datasources"]
    ]
    uid = next(ds["uid"] for ds in datasources if ds["type"] == "prometheus")
    ids = []
    for panel in dashboard_panels():
        ids.append(panel["id"])
        assert {"h", "w", "x", "y"} <= set(panel["gridPos"]), panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == uid, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == uid, panel["title"]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


def test_dashboard_covers_the_required_views() -> None:
    text = " ".join(dashboard_exprs())
    for needed in (
        "streamproc_articles_received_total",
        "streamproc_records_published_total",
        "streamproc_end_to_end_latency_seconds_bucket",
        "streamproc_stage_duration_seconds_bucket",
        "streamproc_consumer_lag_messages",
        "streamproc_dlq_total",
        "streamproc_duplicates_total",
        "streamproc_batch_size_articles_bucket",
        "streamproc_event_loop_lag_seconds",
        "streamproc_model_load_seconds",
        "faust_rebalance_done_latency_count",
    ):
        assert needed in text, needed
    for quantile in ("0.5", "0.95", "0.99"):
        assert f"histogram_quantile({quantile}, sum by (le) (rate(streamproc_end_to_end_latency" in text


def test_alert_rules_are_labelled_and_annotated() -> None:
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert rule["annotations"]["summary"].strip(), rule["alert"]
        assert rule["annotations"]["description"].strip(), rule["alert"]
    exprs = {rule["alert"]: " ".join(str(rule["expr"]).split()) for rule in rules}
    assert 'up{job="streamproc"} == 0' in exprs["StreamprocWorkerDown"]
    assert "deriv(streamproc_consumer_lag_messages" in exprs["StreamprocConsumerLagGrowing"]
    assert "histogram_quantile(0.99," in exprs["StreamprocEndToEndLatencyHigh"]
    assert "streamproc_dlq_total" in exprs["StreamprocDeadLetterRateHigh"]
