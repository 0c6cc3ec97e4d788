"""Raw pages: the bytes an article was extracted from, compressed for the archive."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import zstandard


@dataclass
class RawPage:
    """The bytes an article was extracted from, kept so it can be re-extracted later."""

    url: str
    content: bytes
    content_type: str | None = None
    encoding: str | None = None
    fetched_at: str | None = None
    packed: tuple[bytes, str] | None = None  # (zstd bytes, sha256) if a worker already made them


def pack(content: bytes) -> tuple[bytes, str]:
    """Compressed bytes and checksum of a raw page (zstd level 3: 3x smaller, ~0.1 ms/page)."""
    return _compressor().compress(content), hashlib.sha256(content).hexdigest()


@lru_cache(maxsize=1)
def _compressor() -> zstandard.ZstdCompressor:
    return zstandard.ZstdCompressor(level=3)
