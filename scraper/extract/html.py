"""Extract an article from HTML: a site rule when one matches, the generic path otherwise.

Both paths end the same way: the body's blocks are cut at the portal's trailer, boilerplate lines
are dropped, and credit lines ((作者:x), [ 责编:x ]) move out of the body into fields.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.article import PARAGRAPH_SEPARATOR, Article
from scraper.extract.blocks import best_body_node, parse, text_blocks
from scraper.extract.boilerplate import Body, clean_body, is_stop_line
from scraper.extract.credits import credit_line, wire_dateline
from scraper.extract.date_lines import shown_date
from scraper.extract.fields import (
    AUTHOR_LABELS,
    EDITOR_LABELS,
    SOURCE_LABELS,
    clean_text,
    editor_line,
    first_labelled,
    parse_datetime,
    parse_relative,
)
from scraper.extract.meta import find_published, find_title, node_value
from scraper.extract.meta_lines import (
    Credits,
    closing_credits,
    guess_source,
    info_lines,
    is_prose,
    lead_credits,
    names_value,
    prose_after,
    read_info,
    read_trailer,
    reporter_line,
    signature_author,
    source_value,
    take_leading_info,
    title_above_date,
)
from scraper.extract.pagination import next_page_url
from scraper.extract.platforms import platform_post
from scraper.extract.sites import Template, find_template


def extract_html_page(
    html: str, url: str | None = None, now: datetime | None = None
) -> tuple[Article, str | None]:
    """The article and, for multi-page articles, the URL of the next page."""
    tree = parse(html)
    post = platform_post(tree, html)  # read before the generic path prunes the tree
    template = find_template(tree, url)
    next_url = next_page_url(tree, url, template.next_page if template else None) if url else None
    canonical = _canonical(tree, url)
    ruled = _from_template(tree, template) if template else None
    if ruled is not None and ruled.body and _complete(ruled):
        article = ruled
    else:
        generic = _generic(tree, url, ruled.title if ruled else None, now)
        article = _fill_missing(ruled, generic) if ruled is not None and ruled.body else generic
    article.url, article.canonical_url = url, canonical
    article.source = article.source or post.account  # on 百家号, 网易号 … the account is the 来源
    article.author = article.author or post.writer
    return article, next_url


def _complete(article: Article) -> bool:
    """A rule that found every field needs no generic pass (the slow part of extraction)."""
    return all(
        getattr(article, name) for name in ("title", "source", "author", "editor", "published_at")
    )


def _canonical(tree: LexborHTMLParser, url: str | None) -> str | None:
    node = tree.css_first('link[rel="canonical"]')
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    if not href or href.startswith(("javascript:", "#")):
        return None
    return urljoin(url, href) if url else href


def _from_template(tree: LexborHTMLParser, template: Template) -> Article | None:
    body_node = tree.css_first(template.body)
    if body_node is None:
        return None

    def pick(selector: str | None) -> str | None:
        """The first part of a selector list that matches, in the rule's order (CSS itself
        would take whichever comes first in the document)."""
        for part in (selector or "").split(","):
            value = node_value(tree.css_first(part.strip())) if part.strip() else None
            if value:
                return value
        return None

    # Read the fields before stripping: credit blocks often sit inside the body node.
    article = Article(
        site=template.site,
        title=clean_text(pick(template.title) or "") or None,
        source=source_value(_unlabel(pick(template.source), SOURCE_LABELS)),
        author=names_value(_unlabel(pick(template.author), AUTHOR_LABELS)),
        editor=names_value(_unlabel(pick(template.editor), EDITOR_LABELS)),
        published_at=parse_datetime(pick(template.date)),
        extractor=f"rule:{template.site}",
    )
    for selector in template.strip:
        for node in body_node.css(selector):
            node.decompose()
    body = clean_body(_without_link_blocks(body_node, text_blocks(body_node)))
    article.body = PARAGRAPH_SEPARATOR.join(body.paragraphs) or None
    article.author = article.author or body.author
    article.editor = article.editor or body.editor
    return article


def _unlabel(text: str | None, labels: tuple[str, ...]) -> str | None:
    """'来源：人民日报' -> '人民日报'; text without a label is returned as it is."""
    if not text:
        return None
    return first_labelled(text, labels) or text


def drop_trailer_sections(tree: LexborHTMLParser) -> None:
    """Remove sections headed 相关阅读 / 热点推荐 / 网友评论 …: their prose (related summaries,
    comments) can outweigh a short article in the density count."""
    for heading in tree.css(_SECTION_HEADINGS):
        section = heading.parent
        text = clean_text(heading.text())
        if section is None or len(text) > 12 or not is_stop_line(text):
            continue
        if section.tag in ("body", "html") or section.css_first("h1") is not None:
            continue
        if not clean_text(section.text()).startswith(text):  # a label mid-column heads nothing
            continue
        section.decompose()


_SECTION_HEADINGS = (
    'h2, h3, h4, h5, h6, dt, strong, b, [class*="tit" i], [class*="hd" i], [class*="head" i]'
)


def _generic(
    tree: LexborHTMLParser, url: str | None, title_hint: str | None, now: datetime | None = None
) -> Article:
    title = title_hint or find_title(tree)
    page = text_blocks(tree.body) if tree.body is not None else []
    body = _generic_body(tree, page, title)
    byline = take_byline(body.paragraphs)
    leading_info, info_author = take_leading_info(body.paragraphs)
    first = body.paragraphs[0] if body.paragraphs else None
    title = title or title_above_date(page, leading_info[0] if leading_info else first)
    info_area = leading_info + info_lines(page, title, leading_info[0] if leading_info else first)
    info = read_info(info_area)
    last = body.paragraphs[-1] if body.paragraphs else None
    after = _after(page, last)
    trailer = read_trailer(after)
    in_body = Credits(body.source, byline.author or info_author, body.editor)
    credits = info.fill(in_body).fill(trailer)
    credits.fill(closing_credits(body.paragraphs))
    # the body's opening, else the lines under the headline (a body that was not found)
    lead = lead_credits(body.paragraphs).fill(lead_credits(info_area))
    credits.source = credits.source or lead.source or byline.source  # 新华社记者X: 新华社
    credits.source = credits.source or guess_source(info_area, title_follows=title is not None)
    credits.source = credits.source or _wire_anywhere(page)
    relative = next((d for line in info_area if (d := parse_relative(line, now))), None)
    shown = shown_date(page, _index_of(page, title), _after(page, last, 10) if last else [])
    credits.published_at = credits.published_at or shown or relative
    credits.author = credits.author or body.author or lead.author
    credits.author = credits.author or signature_author(body.paragraphs[-1] if first else None)
    credits.author = credits.author or signature_author(after[0] if after else None)  # （袁源）
    return Article(
        url=url,
        title=title,
        source=credits.source,
        author=credits.author,
        editor=credits.editor or _editor_anywhere(page),
        published_at=find_published(tree, credits.published_at, url),
        body=PARAGRAPH_SEPARATOR.join(body.paragraphs) or None,
        extractor="generic",
    )


def _generic_body(tree: LexborHTMLParser, page: list[str], title: str | None) -> Body:
    """The densest prose container; but when it sits far from the headline (a tiny article in
    heavy chrome loses to a recommendation feed), the prose right under the headline."""
    drop_trailer_sections(tree)
    node = best_body_node(tree)
    body = (
        clean_body(_without_link_blocks(node, _blocks_after_title(node, title))) if node else Body()
    )
    if not any(_SENTENCE.search(p) for p in body.paragraphs):
        body = Body()  # menus and calendars are no article: better none than chrome
    at = _index_of(page, title)
    if at is None:
        return body
    start = _index_of(page, body.paragraphs[0]) if body.paragraphs else None
    if start is not None and at < start <= at + 15:
        body.paragraphs[:0] = _lead(page[at + 1 : start], body.paragraphs)
        return body
    under = clean_body(prose_after(page, at))
    return under if under.paragraphs else body


_SENTENCE = re.compile(r"[，。！？；,.!?;]")


def _lead(between: list[str], paragraphs: list[str]) -> list[str]:
    """Prose between the headline and the body container is the article's lead (a 'chapo' box
    set apart by an ad); a summary box repeating the body adds nothing."""
    lead = [line for line in between if is_prose(line) and line not in paragraphs]
    return clean_body(lead).paragraphs if lead else []


def _index_of(page: list[str], text: str | None) -> int | None:
    return page.index(text) if text in page else None


def _without_link_blocks(node: LexborNode, blocks: list[str]) -> list[str]:
    """Blocks that are links and little else ('理财：为什么有人富了') are related-article lists,
    not body text."""
    links = sorted({t for a in node.css("a") if len(t := clean_text(a.text())) >= 4}, key=len)
    return [b for b in blocks if not _mostly_links(b, links[::-1])]


def _mostly_links(block: str, links: list[str]) -> bool:
    """At least 6 characters of link text, and less than half as much other text."""
    rest = block
    for link in links:
        if link in rest:
            rest = rest.replace(link, "")
    linked = len(block) - len(rest)
    return linked >= 6 and len(re.sub(r"[\W_]", "", rest)) * 2 < linked


def _after(page: list[str], last_paragraph: str | None, count: int = 10) -> list[str]:
    """The blocks right after the body, where credits such as 责任编辑 sit. The paragraph may have
    lost a closing credit ('…。（文/图 X）'), so the page's block only has to start with it. A body
    the page repeats has credits after its first or its last copy."""
    if not last_paragraph:
        return []
    ends = [i for i, block in enumerate(page) if block.startswith(last_paragraph)]
    copies = sorted({ends[0], ends[-1]}) if ends else []
    return [block for at in copies for block in page[at + 1 : at + 1 + count]]


def take_byline(paragraphs: list[str]) -> Credits:
    """A reporter line opening or closing the body ('新华社记者邹多为、唐诗凝、丁乐', '作者︱春春')
    leaves it as the author, and the outlet it names (新华社) as a 来源 if nothing better is found."""
    # The opening reaches past a short summary (划重点 and three points) to the byline under it.
    ends = [*range(min(6, len(paragraphs))), *range(max(6, len(paragraphs) - 3), len(paragraphs))]
    for index in ends:
        paragraph = paragraphs[index]
        names = reporter_line(paragraph) or _bracketed_author(paragraph)
        if names:
            del paragraphs[index]
            return Credits(source=credit_line(paragraph).source, author=names)
    return Credits()


def _bracketed_author(paragraph: str) -> str | None:
    """'【文/观察者网专栏作者 王文】' or '文丨政能亮特约评论员 韩涵' as a line of its own."""
    if len(paragraph) > 40:
        return None
    return (
        read_info([paragraph.strip("【】[]")]).author
        if re.match(r"^[【\[]?\s*(文|作者)", paragraph)
        else None
    )


def _blocks_after_title(node: LexborNode, title: str | None) -> list[str]:
    """A container that also holds the headline and info line gives only what follows them."""
    blocks = text_blocks(node)
    if title and title in blocks:
        return blocks[blocks.index(title) + 1 :]
    return blocks


def _wire_anywhere(page: list[str]) -> str | None:
    """A short line with a wire dateline ('2018-02-28 14:31中央社 澎湖縣28日電') names the agency as
    the 来源 even where the info lines were not found."""
    return next((agency for b in page if len(b) <= 40 and (agency := wire_dateline(b))), None)


def _editor_anywhere(page: list[str]) -> str | None:
    """An editor credit line can sit anywhere below the body (e.g. under a share bar), alone or
    beside other credits ('作者：未知 责任编辑：X')."""
    lines = (b for b in page if len(b) <= 60 and ("编" in b or "編" in b))  # cheap filter first
    return next((name for block in page if (name := editor_line(block))), None) or next(
        (name for block in lines if (name := credit_line(block).editor)), None
    )


def _fill_missing(ruled: Article, generic: Article) -> Article:
    """A rule's own findings win; whatever it left empty comes from the generic path."""
    return ruled.fill_from(generic, skip="extractor")
