"""Raw bytes to text, with the checks that come before any format is tried.

Order: oversize (on the byte length, before anything else), empty, binary, encoding.
Encoding choice: UTF-8 (BOM stripped), UTF-16/32 when a BOM says so, or the charset of the
``content-type`` header. Invalid bytes are replaced with U+FFFD and the article is flagged
``encoding_repaired`` when ``settings.repair_encoding`` is on (the default: one bad byte in
a long article should not lose the article); otherwise they are an ``invalid_encoding`` error.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from streamproc.config import ParseSettings
from streamproc.errors import ErrorCode, ParseError

# Bytes that never occur in text (NUL excluded: it is checked on its own).
_CONTROL_BYTES = bytes(
    sorted(
        set(range(0x01, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x1B)) | {0x1C, 0x1D, 0x1E, 0x1F, 0x7F}
    )
)
# Above these shares of the sampled text the payload is binary, not damaged text.
MAX_CONTROL_SHARE = 0.05
MAX_REPLACEMENT_SHARE = 0.30
_SAMPLE_BYTES = 8192
_NOT_CHARSETS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "utf-7", "mbcs"}
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    repaired: bool


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
            try:
                info = codecs.lookup(charset)
            except LookupError:
                return None  # unknown charset: fall back to UTF-8 rather than reject
            # Only real character sets: codecs like base64, rot13 or idna are not a page encoding.
            if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
                return None
            # ASCII labels are routinely wrong for UTF-8 text, which is a superset.
            return "utf-8" if info.name == "ascii" else info.name
    return None


def _check_binary(payload: bytes) -> None:
    if b"\x00" in payload:
        raise ParseError(ErrorCode.BINARY, "payload contains NUL bytes")
    sample = payload[:_SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise ParseError(
            ErrorCode.BINARY,
            f"payload is not text: {controls} of the first {len(sample)} bytes are control bytes",
        )


def decode_payload(payload: bytes, settings: ParseSettings, content_type: str | None) -> DecodedText:
    """Check and decode ``payload``; raises ParseError with OVERSIZE, EMPTY, BINARY or INVALID_ENCODING."""
    if len(payload) > settings.max_bytes:
        raise ParseError(
            ErrorCode.OVERSIZE, f"payload is {len(payload)} bytes, the limit is {settings.max_bytes}"
        )
    if not payload.strip():
        raise ParseError(ErrorCode.EMPTY, "payload is empty or whitespace only")

    encoding = "utf-8"
    body = payload
    for bom, bom_encoding in _BOMS:
        if payload.startswith(bom):
            encoding, body = bom_encoding, payload[len(bom) :]
            break
    else:
        encoding = _charset_from_content_type(content_type) or "utf-8"

    # UTF-16/32 text is full of NUL bytes by design; check those after decoding instead.
    wide = encoding.startswith(("utf-16", "utf-32"))
    if not wide:
        _check_binary(body)

    try:
        text = body.decode(encoding)
        repaired = False
    except UnicodeError as exc:
        if not settings.repair_encoding:
            where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
            raise ParseError(ErrorCode.INVALID_ENCODING, f"not valid {encoding}{where}") from None
        text = body.decode(encoding, errors="replace")
        repaired = True
        replacements = text.count("\ufffd")
        if replacements > MAX_REPLACEMENT_SHARE * max(len(text), 1):
            raise ParseError(
                ErrorCode.BINARY,
                f"payload is not text: {replacements} of {len(text)} characters are undecodable",
            ) from None
    if wide:
        _check_binary(text.encode("utf-8", "surrogatepass"))
    if not text.strip():
        raise ParseError(ErrorCode.EMPTY, "payload is whitespace only")
    return DecodedText(text=text, encoding=encoding, repaired=repaired)
