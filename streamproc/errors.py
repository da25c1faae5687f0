"""Typed errors. Every error that can reach the dead-letter topic carries a stable code."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Reason codes written to ``news.dlq`` (``error.code``) and the ``streamproc_dlq_total`` metric.

    The values are part of the public contract: add codes, never rename them.
    """

    EMPTY = "empty"  # zero bytes or whitespace only
    OVERSIZE = "oversize"  # larger than parse.max_bytes, rejected before parsing
    BINARY = "binary"  # NUL bytes / mostly non-text control bytes
    INVALID_ENCODING = "invalid_encoding"  # not decodable as UTF-8 (or declared charset) and repair disabled
    MALFORMED_JSON = "malformed_json"  # looked like / declared JSON but did not parse
    NOT_AN_OBJECT = "not_an_object"  # valid JSON whose top level is not an object
    NO_BODY = "no_body"  # parsed, but no body text could be found
    INVALID_FIELD = "invalid_field"  # a field has an unusable type (e.g. title is a list)
    UNSUPPORTED_FORMAT = "unsupported_format"  # content-type header names a format we do not read
    ENRICH_FAILED = "enrich_failed"  # NER / date normalisation raised on this article
    INTERNAL = "internal"  # a bug: unexpected exception, kept so nothing is lost
    OUTPUT_REFUSED = "output_refused"  # Kafka refused the output record itself (e.g. too large for the topic)


class StreamprocError(Exception):
    """Base class for all errors raised by streamproc."""


class ParseError(StreamprocError):
    """Raw bytes could not become an Article. ``code`` says why."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message


class EnrichError(StreamprocError):
    """Enrichment failed for one article."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = ErrorCode.ENRICH_FAILED
        self.message = message


class ConfigError(StreamprocError):
    """Settings are invalid (bad value, unknown key, unreadable file)."""


class BrokerError(StreamprocError):
    """The local Kafka broker could not be set up, started or reached."""


class BrokerUnreachable(BrokerError):
    """No bootstrap server of the configured broker answers."""


class BrokerRefused(BrokerError):
    """The broker answers but refuses us: credentials, SASL mechanism or TLS handshake."""
