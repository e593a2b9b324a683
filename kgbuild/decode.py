"""Bytes to text for the readers: UTF-8 with or without BOM, UTF-16/32 with BOM, a
detected legacy encoding (with a warning); binary files and BOM-less UTF-16 refused."""
from __future__ import annotations

import codecs
import logging

from .errors import InputError

log = logging.getLogger("kgbuild")

#: Bytes at the start of a file that are looked at to tell text from binary.
SNIFF_BYTES = 8192
BOM_UTF8 = codecs.BOM_UTF8
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16/32 with BOM, or a
    detected legacy encoding (with a warning).

    Raises:
        InputError: the bytes look binary (PDF, image, compressed data) or like UTF-16
            without a byte-order mark.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                break
    refuse_binary(data, source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = detect_encoding(data)
    if guess is None:
        raise InputError(f"{source}: not UTF-8 text and the encoding could not be detected; "
                         "convert it to UTF-8")
    log.warning("%s: not UTF-8; decoded as %s", source, guess)
    return data.decode(guess, errors="replace")


def refuse_binary(data: bytes, source: str) -> None:
    """Raise `InputError` when `data` looks binary (or like BOM-less UTF-16)."""
    if b"\x00" in data[:SNIFF_BYTES] or data[:5] == b"%PDF-":
        if _looks_like_utf16(data[:SNIFF_BYTES]):
            raise InputError(f"{source}: looks like UTF-16 without a byte-order mark; save it "
                             "as UTF-8 (or as UTF-16 with a byte-order mark)")
        raise InputError(f"{source}: looks like a binary file, not text")


def _looks_like_utf16(sample: bytes) -> bool:
    """Zero bytes in nearly every other position and nowhere else (the high bytes of
    Latin-script UTF-16), and readable text when decoded so."""
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, enc in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if other.count(0) == 0 and zeros.count(0) >= 0.9 * len(zeros):
            text = sample.decode(enc, errors="replace")
            readable = sum(c.isprintable() or c.isspace() for c in text)
            return readable >= 0.95 * len(text)
    return False


def detect_encoding(data: bytes) -> str | None:
    """The likely legacy encoding of `data`, or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer comes with spaCy's requests
        return "latin-1"
    best = from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def has_wide_bom(data: bytes) -> bool:
    """Whether `data` starts with a UTF-16 or UTF-32 byte-order mark."""
    return any(data.startswith(bom) for bom, _ in _BOMS)
