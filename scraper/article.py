"""The Article record every stage passes along: extract builds it, store keeps it, export prints it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Article:
    """One news article. A field the page does not show is None, never ""."""

    url: str | None = None
    site: str | None = None
    title: str | None = None
    source: str | None = None  # 来源
    author: str | None = None  # 作者 / 记者; several names joined by 、
    editor: str | None = None  # 责编 / 责任编辑 / 编辑
    published_at: str | None = None  # ISO 8601 with offset, +08:00 when the page gives none
    body: str | None = None  # paragraphs joined by a blank line
    extractor: str | None = None  # which path produced it: "rule:gmw.cn", "generic", "text"
    canonical_url: str | None = None  # the page's own <link rel="canonical">, if any

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and not value.strip():
                setattr(self, f.name, None)

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split(PARAGRAPH_SEPARATOR) if self.body else []

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)

    def fill_from(self, other: Article, skip: str) -> Article:
        """Take `other`'s value for every field still empty here, except `skip`."""
        for name, value in other.to_dict().items():
            if getattr(self, name) is None and name != skip:
                setattr(self, name, value)
        return self

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# Fields the archive adds to every article; an exported record is RECORD_FIELDS, in this order.
ARCHIVE_FIELDS = ("extractor_version", "content_hash", "archived_at", "updated_at")
RECORD_FIELDS = tuple(f.name for f in fields(Article)) + ARCHIVE_FIELDS
# What re-checking adds to an exported record: live/suspected/deleted, how many versions, when
# the deletion was first seen (scraper/store/versions.py).
WATCH_FIELDS = ("status", "versions", "deleted_at")
