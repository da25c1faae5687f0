"""Start-up check: the corrections in this package rely on faust-streaming's and aiokafka's internals.

They replace methods whose bodies, names and private state (``_acked``, ``_read_offset``,
``_committed_offset``...) are not a public API. Each was verified (unit tests, reliability suite)
on the versions below; on any other version the worker refuses to start, unless
``worker.allow_unverified_faust`` says to run anyway.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from streamproc.errors import ConfigError

VERIFIED_VERSIONS: dict[str, frozenset[str]] = {
    "faust-streaming": frozenset({"0.15.3"}),
    "aiokafka": frozenset({"0.14.0"}),
}


def unverified_versions(installed: dict[str, str] | None = None) -> list[str]:
    """``name version`` of each installed package the corrections were not verified on."""
    if installed is None:
        installed = {}
        for name in VERIFIED_VERSIONS:
            try:
                installed[name] = version(name)
            except PackageNotFoundError:
                installed[name] = "(not installed)"
    return [
        f"{name} {installed[name]}" for name, good in VERIFIED_VERSIONS.items() if installed[name] not in good
    ]


def check_versions(*, allow_unverified: bool, installed: dict[str, str] | None = None) -> None:
    """Raise ConfigError (one actionable line) for a version the corrections were not verified on."""
    unverified = unverified_versions(installed)
    if unverified and not allow_unverified:
        verified = "; ".join(f"{name} {', '.join(sorted(v))}" for name, v in VERIFIED_VERSIONS.items())
        raise ConfigError(
            f"the Faust corrections (streamproc/faust/) were not verified on {', '.join(unverified)} "
            f"(verified: {verified}); install a verified version, or set "
            "STREAMPROC_WORKER_ALLOW_UNVERIFIED_FAUST=true to run anyway"
        )
