"""Turn raw page bytes into text, distrusting declared charsets (Chinese portals often lie)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec actually used, e.g. "utf-8", "gb18030", "big5hkscs"
    lossy: bool  # True when the text could only be decoded with replacement characters


# Labels (and Python codec names) -> codec we decode with: servers mean the superset.
_GB = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936")
_BIG5 = ("big5", "big5-hkscs", "cp950")
_ALIASES = (
    dict.fromkeys(_GB, "gb18030") | dict.fromkeys(_BIG5, "big5hkscs") | {"utf-8-sig": "utf-8"}
)
# Python "codecs" that are not web charsets; decoding a page with them is never right.
_NOT_CHARSETS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
# Defaults that servers and CMSs emit without looking at the bytes.
_WEAK = {"iso8859-1", "cp1252", "ascii"}
_CJK = ("gb", "big5", "cp9", "hz", "shift_jis", "euc", "johab", "iso2022", "utf-16", "utf-32")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:()-]+)", re.I)
_XML = re.compile(rb"\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']\s*([\w.:()-]+)", re.I)
_HIGH = bytes(range(0x80, 0x100))
_PAIR = re.compile(rb"[\x81-\xfe][\x80-\xfe]")  # a double-byte GB/Big5 character
_SNIFF_LIMIT = 16 * 1024  # real pages put big <style>/<script> blocks before <meta>


def sniff_declared_charset(raw: bytes) -> str | None:
    """The charset label a page declares in <meta> or an XML declaration, lowercased."""
    head = raw[:_SNIFF_LIMIT]
    match = _META.search(head) or _XML.match(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode_text_or_bytes(content: bytes | str) -> Decoded:
    """Pass already-decoded text through (e.g. from a JSON API) so callers need one path."""
    if isinstance(content, str):
        return Decoded(content, "unicode", False)
    return decode_page(content)


def decode_page(raw: bytes, http_charset: str | None = None) -> Decoded:
    """Decode: BOM, HTTP charset, <meta> charset, UTF-8, sniffing, then lossy gb18030/UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _decode_best(raw, [codec])  # the BOM decodes to U+FEFF, stripped by _result
    meta = _codec(sniff_declared_charset(raw))
    if meta and meta.startswith(("utf-16", "utf-32")):
        meta = "utf-8"  # why: a <meta> readable as ASCII cannot be UTF-16 (WHATWG rule)
    declared = [c for c in dict.fromkeys([_codec(http_charset), meta]) if c]
    for codec in declared:
        if hit := _from_declared(raw, codec):
            return hit
    if (text := _strict(raw, "utf-8")) is not None:
        return _result(text, "utf-8")
    fallback = [*declared, "gb18030", "utf-8"]
    return _nearly(raw, "utf-8") or _sniffed(raw) or _decode_best(raw, fallback)


def _codec(label: str | None) -> str | None:
    """Normalized codec name for a charset label, or None when unknown or not a text charset."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    try:
        info = codecs.lookup(_ALIASES.get(name, name))
    except (LookupError, ValueError, UnicodeError):  # ValueError: NUL in label
        return None
    # why: bytes-to-bytes codecs (base64, zlib) are flagged only by this CodecInfo attribute.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return _ALIASES.get(info.name, info.name)


def _from_declared(raw: bytes, codec: str) -> Decoded | None:
    """Trust a declaration only if the whole body decodes strictly with it."""
    if codec != "utf-8" and not raw.isascii() and (text := _strict(raw, "utf-8")) is not None:
        # why: stale gb2312/latin-1 labels on UTF-8 bytes are common; valid multi-byte UTF-8
        # by accident is vanishingly rare, while UTF-8 Chinese can be valid gb18030 mojibake.
        return _result(text, "utf-8")
    if codec in _WEAK and _looks_cjk(raw) and (hit := _chinese(raw)):
        return hit
    text = _strict(raw, codec)
    return _result(text, codec) if text is not None else None


def _nearly(raw: bytes, codec: str) -> Decoded | None:
    """A stray bad byte or a truncated tail (<=1 loss per 100 non-ASCII characters): keep the
    codec, lossily; sniffers turn such pages into single-byte mojibake instead."""
    text = raw.decode(codec, "replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return _result(text, codec, lossy=True) if bad * 100 <= good else None


def _sniffed(raw: bytes) -> Decoded | None:
    """No usable declaration and not UTF-8: Chinese double-byte first, else charset-normalizer."""
    if _looks_cjk(raw) and (hit := _chinese(raw) or _nearly(raw, "gb18030")):
        return hit
    guess = _normalizer_guess(raw)
    if guess is None or guess.startswith(_CJK):
        # why: on short GBK text the normalizer guesses cp949, big5 or even utf-16-be.
        return _chinese(raw)
    text = _strict(raw, guess)
    return _result(text, guess) if text is not None else None


def _normalizer_guess(raw: bytes) -> str | None:
    import charset_normalizer  # only pages with no usable charset get this far

    best = charset_normalizer.from_bytes(raw).best()
    return _codec(best.encoding) if best else None


def _chinese(raw: bytes) -> Decoded | None:
    for codec in ("big5hkscs", "gb18030") if _looks_big5(raw) else ("gb18030",):
        if (text := _strict(raw, codec)) is not None:
            return _result(text, codec)
    return None


def _looks_cjk(raw: bytes) -> bool:
    """Most high bytes sit in high-byte pairs: measured >=0.57 in Big5 text (whose trail bytes
    are often ASCII), ~1.0 in GB text, ~0.1 in Latin-1 text."""
    high = len(raw) - len(raw.translate(None, _HIGH))
    return high > 0 and 2 * len(_PAIR.findall(raw)) >= 0.5 * high


def _looks_big5(raw: bytes) -> bool:
    """Big5's commonest hanzi sit at lead bytes 0xA4-0xAF, where GB2312 has only kana,
    Greek, Cyrillic and box drawing: measured >=44% of pairs in Big5 text, <=2% in GB."""
    leads = [pair[0] for pair in _PAIR.findall(raw)]
    return bool(leads) and sum(0xA4 <= lead <= 0xAF for lead in leads) >= 0.2 * len(leads)


def _decode_best(raw: bytes, candidates: list[str]) -> Decoded:
    """Strict decode of the first candidate, else the candidate losing the fewest characters."""
    if (text := _strict(raw, candidates[0])) is not None:
        return _result(text, candidates[0])
    texts = {codec: raw.decode(codec, "replace") for codec in candidates}
    codec = min(texts, key=lambda c: texts[c].count("\ufffd"))  # ties: earlier candidate
    return _result(texts[codec], codec, lossy=True)


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeError:
        return None


def _result(text: str, codec: str, lossy: bool = False) -> Decoded:
    return Decoded(text.removeprefix("\ufeff"), codec, lossy)
