"""Bytes to text: binary detection, compression and character-set decoding.

Inputs arrive as bytes from files, HTTP bodies and archives. Before anything is
parsed we decide whether the bytes are text at all (magic numbers of images,
PDFs, archives and executables; NUL bytes that are not UTF-16), then decode them:

1. a byte-order mark names the codec (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. strict UTF-8, the encoding of nearly everything written today (UTF-16 without a
   BOM is recognised first by its NUL bytes);
3. UTF-8 with a few invalid bytes (a damaged copy, a truncated multi-byte character):
   when valid multi-byte sequences outnumber invalid bytes, the text is UTF-8 and each
   invalid byte becomes U+FFFD, rather than the whole file turning into mojibake
   ("città" read as cp1250 is "cittĂ ");
4. a charset the container declares;
5. Windows-1252 when the bytes decode to plausible Western text (curly quotes at
   0x93/0x94, the euro at 0x80): ``charset-normalizer`` tends to call short Western
   text ``cp1250`` and turn "città" into "cittŕ", and cp1252 is a superset of the
   printable part of Latin-1, so it decodes Latin-1 files correctly too;
6. ``charset-normalizer``'s best guess (Cyrillic, Greek, CJK code pages...);
7. otherwise :data:`Reason.DECODE`.

A stray NUL or control byte does not make a text binary (exports do carry them);
only many of them do (see :func:`binary_kind`).

Every failure is a :class:`SkipError` with a one-line reason.
"""

from __future__ import annotations

import codecs
import logging
import re
import zlib
from dataclasses import dataclass

from ..errors import Reason, SkipError

log = logging.getLogger(__name__)

# (prefix, kind) pairs checked at offset 0. Kept specific enough that ordinary text
# cannot start with them by accident.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xfd7zXZ\x00", "XZ archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xca\xfe\xba\xbe", "Mach-O or Java class file"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE) document"),
    (b"{\\rtf", "RTF document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

GZIP_MAGIC = b"\x1f\x8b"
_SAMPLE = 65_536  # bytes looked at when sniffing and guessing
# Letters and signs above ASCII that Western European text actually uses; cp1252 is
# accepted only when nearly all non-ASCII characters come from this set.
_WESTERN = set(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽŸ"
    "“”‘’„‚–—…€«»°·•©®™§¡¿£¥ªº\u00a0"
)
# Bytes that plain text does not contain (C0 controls but tab, newline, form feed,
# carriage return and escape). A text is binary only when more than this share of
# its first bytes are such: one stray NUL in a long export is damage, not a format.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_MAX_CONTROL_SHARE = 0.01
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the codec that was used (kept for diagnostics)."""

    text: str
    encoding: str


def binary_kind(data: bytes) -> str | None:
    """Name the kind of binary content ``data`` starts with, or ``None`` if it may be text.

    Checks magic numbers, then NUL bytes: text never contains NUL except in UTF-16/32,
    which we recognise by a byte-order mark or by the regular NUL pattern of ASCII
    characters in UTF-16 without one.
    """
    head = data[:64]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"MZ") and b"\x00" in head:
        return "Windows executable"
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    if head.startswith(b"ID3") and len(head) > 4 and head[3] in (2, 3, 4):
        return "MP3 audio"
    sample = data[:_SAMPLE]
    if b"\x00" in sample and _bom_codec(data) is None and _utf16_guess(data) is None \
            and _control_share(sample) > _MAX_CONTROL_SHARE:
        return "data with NUL bytes"
    return None


def _control_share(sample: bytes) -> float:
    """The share of ``sample`` made of control bytes that text never holds."""
    kept = sample.translate(None, _CONTROL_BYTES)
    return (len(sample) - len(kept)) / max(1, len(sample))


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _utf16_guess(data: bytes) -> str | None:
    """Detect UTF-16 without a BOM from the NUL bytes of its ASCII characters."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    even_nul, odd_nul = even.count(0) / half, odd.count(0) / half
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _plausible_western(text: str) -> bool:
    """True when ``text`` reads like Western European text rather than mojibake."""
    letters = sum(1 for ch in text if ch.isalpha())
    high = [ch for ch in text if ord(ch) > 0x7F]
    if not high:
        return True
    if letters and len(high) / letters > 0.3:
        return False  # Cyrillic or Greek read as cp1252: nearly every letter is "accented"
    common = sum(1 for ch in high if ch in _WESTERN)
    return common / len(high) >= 0.9


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` to text, or raise ``SkipError(DECODE)``.

    ``declared`` is a charset stated by the container (an HTTP ``Content-Type``, an
    HTML ``<meta charset>``). It is tried after strict UTF-8, because servers that
    declare ISO-8859-1 for pages written in UTF-8 are common, while non-ASCII text
    that happens to be valid UTF-8 by accident is not; a declaration that fails falls
    through to the usual guesses.
    """
    codec = _bom_codec(data)
    if codec is not None:
        try:
            return Decoded(data[len(_bom_for(codec)):].decode(codec), codec)
        except UnicodeDecodeError as exc:
            raise SkipError(Reason.DECODE,
                            detail=f"invalid {codec} after its BOM: {exc.reason}") from None
    for candidate in filter(None, (_utf16_guess(data), "utf-8")):
        try:
            return Decoded(data.decode(candidate), candidate)
        except UnicodeDecodeError:
            continue
    damaged = _mostly_utf8(data)
    if damaged is not None:
        return damaged
    declared_codec = _normal_codec(declared)
    if declared_codec:
        try:
            return Decoded(data.decode(declared_codec), declared_codec)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_western(text[:_SAMPLE]):
        return Decoded(text, "cp1252")
    return _guess(data)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes replaced by U+FFFD, when most of it is UTF-8.

    Text in a legacy code page almost never forms valid UTF-8 multi-byte sequences
    by accident, so a text whose valid sequences outnumber its invalid bytes is UTF-8
    that was damaged, not a different encoding.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_SURROGATE.findall(escaped))
    valid = len(escaped) - len(escaped.encode("ascii", errors="ignore")) - invalid
    if valid <= invalid:
        return None
    log.info("decoded as UTF-8 with %d invalid byte(s) replaced by U+FFFD", invalid)
    return Decoded(_SURROGATE.sub("\ufffd", escaped), f"utf-8, {invalid} bad bytes replaced")


def scrub_surrogates(text: str) -> str:
    """``text`` with lone surrogates (which UTF-8 cannot store) replaced by U+FFFD.

    They come from JSON escapes such as ``"\\ud800"`` and from bytes decoded with
    ``surrogateescape``; SQLite refuses them, and one would fail the whole batch.
    """
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def printable_name(name: str) -> str:
    """A path or source name that can be stored and printed: undecodable bytes of a
    file name (kept by Python as surrogates) are shown as ``\\xNN``, so
    ``b"caf\\xe9.txt"`` reads ``caf\\xe9.txt``; other names are returned unchanged."""
    if name.isascii():
        return name
    return _SURROGATE.sub(_escape_surrogate, name)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _bom_for(codec: str) -> bytes:
    return next(bom for bom, name in _BOMS if name == codec)


def _normal_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


def _guess(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes  # imported on first use: no work at import

    best = from_bytes(data[:_SAMPLE]).best()
    if best is None or best.encoding is None:
        raise SkipError(Reason.DECODE, detail="not UTF-8 and no known character set fits")
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SkipError(Reason.DECODE, detail=f"guessed {best.encoding}, but {exc}") from None


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Gunzipped:
    """The readable part of a gzip stream; ``error`` says why it stopped early."""

    data: bytes
    error: str | None


def gunzip(data: bytes, limit: int) -> Gunzipped:
    """Decompress gzip ``data`` (all members), keeping what precedes any corruption.

    The output is capped at ``limit`` bytes (a small gzip can expand to gigabytes):
    beyond it the input is refused with :data:`Reason.TOO_LARGE`.
    """
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            return Gunzipped(bytes(out), f"corrupt data ({exc})")
        if len(out) > limit:
            raise _too_large(limit)
        if not inflater.eof:
            if inflater.unconsumed_tail:  # stopped by the output cap, not by the input
                raise _too_large(limit)
            return Gunzipped(bytes(out), "unexpected end of data (truncated file)")
        rest = inflater.unused_data
        if rest and not rest.startswith(GZIP_MAGIC):
            break  # trailing garbage after the last member: ignored, as gzip(1) does
    return Gunzipped(bytes(out), None)


def _too_large(limit: int) -> SkipError:
    return SkipError(Reason.TOO_LARGE, size=f"{limit + 1}+ decompressed", limit=limit)


def is_gzip(data: bytes) -> bool:
    """True when ``data`` starts with the gzip magic number."""
    return data.startswith(GZIP_MAGIC)


__all__ = ["Decoded", "Gunzipped", "binary_kind", "charset_of", "decode_bytes", "gunzip",
           "is_gzip", "printable_name", "scrub_surrogates"]
