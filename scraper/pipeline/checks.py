"""Whether a page is an article worth storing. Binary data (a PDF served as text/html, an image,
random bytes, an empty file) is not an article; an extracted body with almost no prose (a site
footer, an idle-timeout notice, a paywall line) is no article body. Neither is ever stored."""

from __future__ import annotations

import unicodedata

from scraper.article import Article
from scraper.fetch.engine import FetchError

# Letters and digits in the body. The shortest real article in the labelled corpus has 92; the
# junk that extraction returns from pages it fails on (an idle notice, an e-paper footer) 23–28.
MIN_PROSE_CHARS = 50
NO_BODY = "no article body found"
REASON_CHARS = 200  # of an extraction error's message, kept in the failures table
SNIFF_BYTES = 64 * 1024
# Control bytes no text page holds (tab, newlines, form feed and ESC of ISO-2022 are allowed).
CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])
MAX_CONTROL_SHARE = 0.01
MAGIC = (
    (b"%PDF-", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"PK\x03\x04", "a ZIP or Office file"), (b"\x1f\x8b", "gzip data"),
)  # fmt: skip
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class NotAnArticle(FetchError):
    """The bytes are not a page of text: recorded like a non-HTML answer, never retried."""

    def __init__(self, what: str) -> None:
        super().__init__(f"not an article ({what})", stage="content-type")


class NoArticleBody(FetchError):
    """Extraction found no prose worth keeping: a failure, retried by --retry-failed."""

    def __init__(self) -> None:
        super().__init__(NO_BODY, stage="extract")


class ExtractFailed(FetchError):
    """Extraction raised on one page (deep nesting, a parser bug): that page fails, the run
    goes on."""

    def __init__(self, error: BaseException) -> None:
        reason = " ".join(f"{type(error).__name__}: {error}".split())[:REASON_CHARS]
        super().__init__(f"extraction failed: {reason}", stage="extract")


def binary_kind(content: bytes) -> str | None:
    """What the bytes are when they are not text ("a PDF", "binary data"), else None."""
    if not content.strip():
        return "an empty file"
    head = content[:SNIFF_BYTES]
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(UTF16_BOMS):
        return None  # UTF-16 text is full of NUL bytes
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    return "binary data" if controls > len(head) * MAX_CONTROL_SHARE else None


def check_page(content: bytes) -> None:
    """Raise NotAnArticle for bytes that are not a page of text."""
    kind = binary_kind(content)
    if kind:
        raise NotAnArticle(kind)


def prose_chars(text: str | None) -> int:
    return sum(1 for char in text or "" if unicodedata.category(char)[0] in "LN")


def check_body(article: Article) -> None:
    """Raise NoArticleBody when the article has too little prose to be one."""
    if prose_chars(article.body) < MIN_PROSE_CHARS:
        raise NoArticleBody()


def parse_page(content: bytes, url: str | None = None) -> Article:
    """`scraper parse`: the article on a saved page, or the reason there is none."""
    from scraper.extract.page import extract

    check_page(content)
    try:
        article = extract(content, url=url)
    except Exception as error:  # one page's bug or limit is a one-line reason
        raise ExtractFailed(error) from None
    check_body(article)
    return article
