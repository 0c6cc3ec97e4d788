"""Synthetic corpus and queries for search_bench.py: real news sentences, recombined.

Sentences come from the text of real pages (extracted with scraper.extract at run time, never
written to the repo), so the index sees real vocabulary and real word-length statistics. Article
i is a pure function of (seed, i): a benchmark can grow an archive from 10,000 to 30,000 articles
and get exactly the articles a direct 30,000 build would have.

The vocabulary is bounded by the source pages (about 1,600 sentences of ~45 characters): an
article holds ~47 of them, so each sentence recurs in about 3% of articles and a "rare" word
(found in one source sentence) matches far more articles than a rare word in a real archive
would. Hit counts are reported next to latencies for that reason.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scraper import Article, extract
from scraper.article import PARAGRAPH_SEPARATOR
from scraper.store.segment import searchable, tokens

SITES = (
    "gmw.cn", "people.com.cn", "xinhuanet.com", "news.cn", "sina.com.cn", "qq.com", "sohu.com",
    "163.com", "ifeng.com", "chinanews.com.cn", "cctv.com", "youth.cn", "china.com.cn",
    "thepaper.cn", "guancha.cn", "southcn.com", "yangtse.com", "21jingji.com", "caixin.com",
    "jiemian.com", "bjnews.com.cn", "ce.cn", "cnr.cn", "huanqiu.com", "chinadaily.com.cn",
    "hexun.com", "yicai.com", "stcn.com", "dahe.cn", "qianlong.com",
)  # fmt: skip
SOURCES = (
    "人民日报", "新华社", "光明日报", "经济日报", "中国新闻网", "央视新闻", "中国青年报",
    "澎湃新闻", "第一财经", "21世纪经济报道", "北京青年报", "南方日报", "新京报", "环球时报",
    "科技日报", "工人日报", "法治日报", "人民邮电报", "中国日报", "扬子晚报", "大河报",
    "解放日报", "文汇报", "北京日报", "中国证券报",
)  # fmt: skip
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
_GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建文辉力鹏飞宇浩然晨曦欣怡涵思远俊凯"
)
_FIRST_DAY = datetime(2015, 1, 1, tzinfo=timezone(timedelta(hours=8)))
_SPAN_SECONDS = int((datetime(2026, 1, 1, tzinfo=_FIRST_DAY.tzinfo) - _FIRST_DAY).total_seconds())

# A sentence runs to its end mark plus any closing quotes; a trailing unterminated run counts too.
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’\"」』）)]*|[^。！？!?]+$")
_CLAUSE = re.compile(r"[，,；;：:、。！？!?“”\"「」『』（）()\s]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_QUOTES = re.compile(r"[\"“”「」\n]")  # quote marks delimit phrases in the query language


@dataclass(frozen=True)
class SourceText:
    """What the synthetic articles are made of."""

    sentences: tuple[str, ...]
    fragments: tuple[str, ...]  # clause-sized pieces for titles
    pages: int


def load_source(corpus_dir: Path | None, seed_file: Path | None) -> SourceText:
    """Sentences of every readable page: the corpus pages (if present) and the seed capture."""
    bodies = [body for body in _page_bodies(corpus_dir, seed_file) if body]
    seen: dict[str, None] = {}  # ordered set: deterministic across runs
    for body in bodies:
        for sentence in split_sentences(body):
            seen.setdefault(sentence)
    sentences = tuple(seen)
    if len(sentences) < 50:
        raise SystemExit("too little source text: need the corpus pages or the seed file")
    fragments = tuple(dict.fromkeys(f for s in sentences for f in _fragments(s)))
    return SourceText(sentences, fragments, len(bodies))


def _page_bodies(corpus_dir: Path | None, seed_file: Path | None) -> Iterator[str | None]:
    paths = []
    if corpus_dir and (corpus_dir / "pages").is_dir():
        pages = sorted((corpus_dir / "pages").glob("*.html"))
        paths += [p for p in pages if ".expected." not in p.name]  # ground truth duplicates
    if seed_file and seed_file.is_file():
        paths.append(seed_file)
    for path in paths:
        yield extract(path.read_bytes()).body


def split_sentences(body: str) -> Iterator[str]:
    """Prose sentences of a body: 10–160 characters, mostly Chinese (skips credits, captions)."""
    for paragraph in body.split("\n"):
        for match in _SENTENCE.finditer(paragraph.strip()):
            sentence = match.group().strip().lstrip("\u3000")
            if 10 <= len(sentence) <= 160 and len(_CJK.findall(sentence)) * 2 >= len(sentence):
                yield sentence


def _fragments(sentence: str) -> Iterator[str]:
    for clause in _CLAUSE.split(sentence):
        if 6 <= len(clause) <= 18 and _CJK.search(clause):
            yield clause


# --- articles --------------------------------------------------------------------------------


def make_article(source: SourceText, index: int, seed: int) -> Article:
    """Article `index` of the synthetic archive (always the same for the same seed)."""
    rng = random.Random(f"{seed}:article:{index}")  # str seeds hash with SHA-512: stable
    when = _FIRST_DAY + timedelta(seconds=rng.randrange(_SPAN_SECONDS))
    site = rng.choice(SITES)
    return Article(
        url=f"https://www.{site}/bench/{when:%Y%m%d}/{index}.html",
        site=site,
        title=_title(rng, source.fragments),
        source=rng.choice(SOURCES),
        author=_name(rng),
        editor=_name(rng),
        published_at=when.isoformat(timespec="seconds"),
        body=_body(rng, source.sentences),
        extractor="synthetic",
    )


def make_articles(source: SourceText, start: int, stop: int, seed: int) -> list[Article]:
    return [make_article(source, i, seed) for i in range(start, stop)]


def _title(rng: random.Random, fragments: tuple[str, ...]) -> str:
    first = rng.choice(fragments)
    if len(first) >= 12 or rng.random() < 0.3:
        return first
    return f"{first}{rng.choice(('，', ' ', '：'))}{rng.choice(fragments)}"


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(_SURNAMES) + given


def _body(rng: random.Random, sentences: tuple[str, ...]) -> str:
    """Paragraphs of 2–5 sentences up to 1,700–2,300 characters: about 2,000 on average."""
    target = rng.randint(1700, 2300)
    paragraphs: list[str] = []
    length = 0
    while length < target:
        paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(paragraphs)


# --- queries ---------------------------------------------------------------------------------

_FREQUENT_TOP = 300  # "frequent" = the 300 words found in the most source sentences


def query_word(token: str) -> bool:
    """A word someone might search for: two or more letters, not a bare number."""
    return len(token) >= 2 and token.isalnum() and not token.isdigit()


def sentence_frequencies(source: SourceText) -> Counter:
    """How many source sentences each query word occurs in (its df scales with N from this)."""
    counts: Counter = Counter()
    for sentence in source.sentences:
        counts.update({t for t in tokens(sentence) if query_word(t)})
    return counts


def draw_queries(
    source: SourceText, n_articles: int, per_kind: int, seed: int
) -> dict[str, list[str]]:
    """`per_kind` queries of each kind, drawn from articles 0..n_articles-1 and the vocabulary.

    Multi-term queries alternate: all frequent words (a broad query), or words of one article
    with its rarest word among them (a specific query that has at least that article as a hit).
    """
    rng = random.Random(f"{seed}:queries")
    counts = sentence_frequencies(source)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    frequent = ranked[:_FREQUENT_TOP]
    rare = sorted(w for w, c in counts.items() if c == 1)

    def article_words() -> list[str]:
        article = make_article(source, rng.randrange(n_articles), seed)
        words = {t for t in tokens(f"{article.title}\n{article.body}") if t in counts}
        return sorted(words, key=lambda w: (counts[w], w))  # rarest first

    def terms(k: int, i: int) -> str:
        if i % 2 == 0:
            return " ".join(rng.sample(frequent, k))
        words = article_words()
        return " ".join([words[0], *rng.sample(words[1:], k - 1)])

    def phrase() -> str:
        article = make_article(source, rng.randrange(n_articles), seed)
        return f'"{phrase_from(rng, article.body or "")}"'

    def any_cut() -> str:
        article = make_article(source, rng.randrange(n_articles), seed)
        return f'"{slice_from(rng, article.body or "")}"'

    return {
        "1 term, frequent": [rng.choice(frequent) for _ in range(per_kind)],
        "1 term, rare": [rng.choice(rare) for _ in range(per_kind)],
        "2 terms": [terms(2, i) for i in range(per_kind)],
        "3 terms": [terms(3, i) for i in range(per_kind)],
        "phrase": [phrase() for _ in range(per_kind)],
        "phrase, any cut": [any_cut() for _ in range(per_kind)],
    }


def phrase_from(rng: random.Random, text: str) -> str:
    """2–4 consecutive searchable tokens of the text, at least 4 characters in all."""
    words = tokens(text)
    for _ in range(10_000):  # a 2,000-character body has hundreds of such windows
        size = rng.randint(2, 4)
        start = rng.randrange(len(words) - size)
        window = words[start : start + size]
        if all(searchable(w) and not w.isspace() for w in window) and len("".join(window)) >= 4:
            return "".join(window)
    raise ValueError("no searchable phrase in the text")


def slice_from(rng: random.Random, text: str) -> str:
    """3–6 characters cut anywhere in the text, word boundaries ignored (业互联, 质生产), with
    at least two Chinese characters: a phrase that may sit inside a longer word."""
    for _ in range(10_000):
        start = rng.randrange(len(text) - 6)
        piece = text[start : start + rng.randint(3, 6)]
        if len(_CJK.findall(piece)) >= 2 and not _QUOTES.search(piece):
            return piece
    raise ValueError("no phrase in the text")
