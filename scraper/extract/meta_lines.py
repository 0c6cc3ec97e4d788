"""Read 来源, 作者, 责编 and the time from the lines around an article, on any portal.

Portals print an info line under the headline (time, 来源, sometimes 作者), credits after the
body (责任编辑, 本文来源, 作者 lines) and wire datelines at its start (新华社北京5月9日电（记者刘艺）).
These functions work on plain text lines, so HTML blocks and text captures share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract.boilerplate import is_drop_line
from scraper.extract.credits import credit_line, lead_credit, repost_credit, trailing_credit
from scraper.extract.fields import (
    AUTHOR_LABELS,
    DATE_LABELS,
    DATE_RE,
    EDITOR_LABELS,
    SOURCE_LABELS,
    clean_names,
    clean_source,
    first_labelled,
    labelled_values,
    parse_datetime,
    pick,
    pick_last,
)
from scraper.extract.names import CJK, persons, source_name

MAX_META_LINE = 160
_NAMES = r"[\u4e00-\u9fff·]{1,4}(?:\s*[、，,\s]\s*[\u4e00-\u9fff·]{1,4})*"  # 方 敏 is one name
# "本报记者 王乐文 方 敏", "半月谈记者 史卫燕", "新华社记者邹多为、唐诗凝、丁乐", "记者林悅／南市報導",
# "新华网黑龙江频道 记者 伊琳 李清芬", "作者 王之言 高孜然" (a label with no colon)
_REPORTER = re.compile(
    # Only 记者 runs straight into a name; "作者最新文章" is a heading, "作者 王之言" a credit.
    rf"^(?:[\u4e00-\u9fff·\s]{{0,14}}(?:记者|記者)\s*|(?:作者|撰文)\s+)(?P<names>{_NAMES})"
    r"(?:\s*[／/｜|]\s*\S{0,12}?(?:报道|報導|摄影|排版)\S*)?(?=\s*$|\s+(?:来源|來源|编辑|責編|责编))"
)
# 新华社乌鲁木齐5月9日电（记者邹伟）, 人民网合肥11月8日电 （记者钱伟）
_DATELINE = re.compile(
    r"^.{0,24}?\d{1,2}月\d{1,2}日(?:电|訊|讯|消息)\s*[（(]\s*(?:记者|記者)\s*"
    rf"(?P<names>{_NAMES})\s*[）)]"
)
# A commentary signed at its end: "……实现“多赢”“共赢”。（钟才文）" or "（王煌忠／台中報導）"
_SIGNATURE = re.compile(
    r"[。！？”」][\s]*[（(](?P<name>[\u4e00-\u9fff]{2,4}(?:[\s、，,]+[\u4e00-\u9fff]{2,4}){0,3})\s*"
    r"(?:[／/][^）)]{1,10})?[）)]$"
)
_ORGANISATION = re.compile(r"(社|网|報|报|台|部|局|厅|委|会|院|组|办|处|中心|公司)$")  # （新华社）
_NOT_NAMES = frozenset(("完", "图", "供图", "记者", "编辑", "本报", "新华社", "原标题", "未完待续"))
# Text that sits beside the source on an info line and is not part of it.
_INFO_NOISE = re.compile(
    r"(来自|發佈於|发布于|发表于)\S*|IP属地\S*|https?://\S+|举报|字号\S*|[大中小]\s|我要评论\S*|"
    r"分享到?\S*|收藏|打印|\d+人参与|\d+评论|评论[(（]\d+[)）]|[|｜]|(?<!\S)[·•](?!\S)"
)
_LABEL_WORDS = re.compile(
    "(" + "|".join(sorted(DATE_LABELS + SOURCE_LABELS, key=len, reverse=True)) + r")\s*[:：]"
)
_SOURCE_SHAPE = re.compile(r"^[\u4e00-\u9fff\w《》“”\-－（）()·]{2,16}$")


@dataclass
class Credits:
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    published_at: str | None = None

    def fill(self, other: Credits) -> Credits:
        """Keep what is known, take the rest from `other`."""
        for name in ("source", "author", "editor", "published_at"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))
        return self


def info_lines(lines: list[str], title: str | None, body_start: str | None) -> list[str]:
    """The short lines between the headline and the body (and just above the headline)."""
    at = _headline_index(lines, title)
    end = lines.index(body_start) if body_start in lines else len(lines)
    if at is None:
        window = lines[max(0, end - 8) : end]
    else:  # the lines under the headline first: guess_source relies on that order
        stop = end if end > at else at + 9
        window = lines[at + 1 : min(stop, at + 9)] + lines[max(0, at - 2) : at]
    return [line for line in window if len(line) <= MAX_META_LINE and line != title]


def is_prose(line: str) -> bool:
    return len(line) >= 20 and bool(re.search(r"[，。！？；,]", line))


def prose_after(lines: list[str], headline: int) -> list[str]:
    """The prose under the headline, skipping its info lines, up to where prose stops."""
    taken: list[str] = []
    gap = 0
    for line in lines[headline + 1 : headline + 200]:
        if is_prose(line):
            taken.append(line)
            gap = 0
        elif taken:
            gap += 1
            if gap >= 2:
                break
            taken.append(line)  # a subheading or credit line; clean_body sorts it out
    while taken and not is_prose(taken[-1]):
        taken.pop()
    return taken


def title_above_date(lines: list[str], body_start: str | None) -> str | None:
    """A page with no title markup at all: the short line above the date line over the body."""
    end = lines.index(body_start) if body_start in lines else 0
    for index in range(end - 1, max(0, end - 6), -1):
        if DATE_RE.search(lines[index]):
            above = lines[index - 1] if index > 0 else ""
            fits = 6 <= len(above) <= 60 and not re.search(r"[。！？]$", above)
            return above if fits and not is_drop_line(above) else None
    return None


def _headline_index(lines: list[str], title: str | None) -> int | None:
    if not title:
        return None
    exact = [i for i, line in enumerate(lines) if line == title]
    if exact:  # a headline repeated (nav, reading bar): the one followed by a date wins
        dated = [i for i in exact if any(DATE_RE.search(x) for x in lines[i + 1 : i + 5])]
        return (dated or exact)[0]
    return next((i for i, line in enumerate(lines) if title in line and len(line) < 200), None)


def read_info(lines: list[str]) -> Credits:
    """Credits from the info line(s) under the headline."""
    credits = Credits()
    outlets = []
    for line in lines:
        credits.fill(_labelled(line))
        credits.fill(Credits(author=reporter_line(line)))
        credits.fill(spaced_credits(line))
        grammar = credit_line(line)  # '《棱镜》作者 周纯', '中央社記者X', '文/图 X 编辑/Y'
        credits.fill(Credits(author=grammar.author, editor=grammar.editor))
        outlets.append(grammar.source)
    # A byline's outlet only stands in for a 来源 label on any of the lines.
    credits.source = credits.source or next((o for o in outlets if o), None)
    credits.published_at = credits.published_at or _first_date(lines)
    return credits


def read_trailer(lines: list[str]) -> Credits:
    """Credits printed after the body: 责任编辑, 本文来源, 作者 lines."""
    credits = Credits()
    for line in lines:
        if len(line) <= MAX_META_LINE:
            credits.fill(_labelled(line))  # only a labelled date (发布日期：…) is taken here
            credits.fill(Credits(author=reporter_line(line)))
    return credits


def take_leading_info(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Info lines that ended up inside the body container ('2005-04-05 06:40更新 来源：转载文章')
    leave the body; they are returned to be read as info lines, with the author when a lone
    name stands right under them ('2018年09月16日 15:31 中時' then '謝明俊'). They open the
    body, or follow what portals set above them: a photo caption, a one-line summary, widgets."""
    start = next((i for i, p in enumerate(paragraphs[:_OPENING]) if _is_info_line(p)), None)
    if start is None or any(len(p) > _MAX_ABOVE_INFO for p in paragraphs[:start]):
        return [], None
    taken = []
    while start < len(paragraphs) and _is_info_line(paragraphs[start]) and len(taken) < 3:
        taken.append(paragraphs.pop(start))
    author = _lone_name(paragraphs[start]) if start < len(paragraphs) else None
    if author:
        del paragraphs[start]
    return taken, author


def _lone_name(line: str) -> str | None:
    """A line that is one person's name and nothing else (2 to 4 characters, no punctuation)."""
    return persons(line, strict=True) if _LONE_NAME.fullmatch(line) else None


_LONE_NAME = re.compile(rf"[{CJK}]{{2,4}}")


_OPENING = 4  # paragraphs: how far into the body an info line may sit
_MAX_ABOVE_INFO = 80  # characters: a caption or a summary line, not the article's prose


def _is_info_line(line: str) -> bool:
    if len(line) > 80 or is_prose(line) and not DATE_RE.search(line):
        return False
    labelled = first_labelled(line, SOURCE_LABELS + DATE_LABELS + AUTHOR_LABELS)
    return bool(DATE_RE.search(line) and (labelled or len(DATE_RE.sub("", line).strip()) <= 12))


def _labelled(line: str) -> Credits:
    values = labelled_values(line)
    date_text = pick(values, DATE_LABELS)  # unlabelled dates below the body are not ours
    source = pick(values, SOURCE_LABELS)
    return Credits(
        source=source_value(source),
        author=names_value(pick_last(values, AUTHOR_LABELS)) or _name_after_source(source),
        editor=names_value(pick(values, EDITOR_LABELS)),
        published_at=parse_datetime(date_text) if date_text else None,
    )


# 来源 values that name no source: "来源：网络", "来源：转载文章".
NON_SOURCES = frozenset(
    ("网络", "互联网", "转载", "转载文章", "综合", "本站", "未知", "网友", "其他")
)


def _name_after_source(raw: str | None) -> str | None:
    """'来源：中国新闻网 王帆': a lone name after the outlet is its writer."""
    words = _INFO_NOISE.sub(" ", DATE_RE.sub(" ", raw or "")).split()
    return persons(words[1], strict=True) if len(words) == 2 and len(words[1]) <= 3 else None


def source_value(raw: str | None) -> str | None:
    if not raw:
        return None
    value = clean_source(_INFO_NOISE.sub(" ", raw).strip())
    value = value.split()[0] if value else None
    return value if value not in NON_SOURCES else None


def names_value(raw: str | None) -> str | None:
    """Names after a 作者/编辑 label, without titles before them or junk after them."""
    if not raw:
        return None
    # Stop at whatever follows the names: another "label：", a share bar, a photo credit.
    raw = re.split(r"\S{1,6}[:：]|返回|查看更多|[|｜]|排版|摄影|图片|校对|审核", raw)[0]
    raw = _INFO_NOISE.sub(" ", raw)
    raw = re.sub(r"^\s*(?:本报|特约|实习)?(?:记者|通讯员|实习生)\s*", "", raw)
    names = clean_names(raw)
    return names if names and len(names) <= 40 else None


_SPACED_ROLES = {"记者": "author", "記者": "author", "作者": "author", "编辑": "editor",
                 "編輯": "editor", "责编": "editor", "责任编辑": "editor"}  # fmt: skip
_NAME_WORD = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


def spaced_credits(line: str) -> Credits:
    """Roles written without a colon inside an info line: '来源：新京报 记者 张三 编辑 李四'."""
    found: dict[str, list[str]] = {}
    role = None
    for word in line.split():
        if word in _SPACED_ROLES:
            role = _SPACED_ROLES[word]
            found.setdefault(role, [])
        elif role and _NAME_WORD.match(word) and not found[role][2:]:
            found[role].append(word)
        else:
            role = None
    return Credits(
        author="、".join(found.get("author", [])) or None,
        editor="、".join(found.get("editor", [])) or None,
    )


def reporter_line(line: str) -> str | None:
    """Names on a reporter line: '本报记者 王乐文 方 敏' -> '王乐文、方敏'."""
    if re.search(r"\s(?:摄|攝|摄影|攝影)$", line.strip()):
        return None  # '新华社记者 李贺 摄' is a photo credit
    match = _REPORTER.match(line.strip())
    return clean_names(match.group("names")) if match else credit_line(line).author


def dateline_author(paragraph: str | None) -> str | None:
    match = _DATELINE.match(paragraph or "")
    return clean_names(match.group("names")) if match else None


def lead_credits(paragraphs: list[str]) -> Credits:
    """本报讯（记者X）, 新华社北京5月19日电（X、Y）, 〔記者X／台北報導〕 opening one of the first
    paragraphs (a video caption may come first): its names and its wire agency."""
    for paragraph in paragraphs[:5]:
        lead = lead_credit(paragraph)
        if lead.author or lead.source:
            return Credits(source=lead.source, author=dateline_author(paragraph) or lead.author)
    return Credits()


def closing_credits(paragraphs: list[str]) -> Credits:
    """A credit closing one of the last paragraphs ('…《自然》上。（编译/林靖东）') when a notice or a
    share prompt still follows it in the body: a credit line among the last three paragraphs, or
    a bracketed credit ending one of the last three prose paragraphs."""
    for paragraph in reversed(paragraphs[-3:]):  # 本文来自微信公众号“X”，作者：Y
        credit = trailing_credit(paragraph)[1] or credit_line(paragraph) or repost_credit(paragraph)
        if credit:
            return Credits(credit.source, credit.author, credit.editor)
    for paragraph in [p for p in paragraphs if is_prose(p)][-3:][::-1]:
        credit = trailing_credit(paragraph)[1]
        if credit:
            return Credits(author=credit.author, editor=credit.editor)
    return Credits()


def signature_author(paragraph: str | None) -> str | None:
    """'…实现“共赢”。（钟才文）', or the bracket as the body's closing line of its own."""
    match = _SIGNATURE.search(paragraph or "") or _SIGNATURE.search("。" + (paragraph or ""))
    if not match or match.group("name") in _NOT_NAMES or _ORGANISATION.search(match.group("name")):
        return None
    return persons(match.group("name"), strict=True)  # '（常书香 马丹阳 ）': every piece a name


def _first_date(lines: list[str]) -> str | None:
    """The first full time on the info lines, else the first day."""
    found = [parse_datetime(m.group(0)) for line in lines for m in DATE_RE.finditer(line)]
    found = [f for f in found if f]
    timed = [f for f in found if "T" in f]
    return (timed or found or [None])[0]


_OUTLET_TAG = re.compile(r"[\[【(（](?:整理|原创|原創|转载|轉載|综合|綜合|编译|編譯)[\]】)）]")


def guess_source(lines: list[str], title_follows: bool) -> str | None:
    """An unlabelled outlet: '2024年05月10日 00:26  每日经济新闻' on the date line, or a lone
    name on the line right under the headline when the date line follows it."""
    for index, line in enumerate(lines):
        if not DATE_RE.search(line):
            continue
        rest = _INFO_NOISE.sub(" ", DATE_RE.sub(" ", _LABEL_WORDS.sub(" ", line)))
        # '游民星空[整理] 1': a tag on the outlet and a comment count beside it are not part of it
        rest = [w for w in _OUTLET_TAG.sub("", rest).split() if not w.isdigit()]
        outlet = rest[0].strip(" :：·-—|") if rest else ""
        # alone on the line, or followed by a credit: '2024-05-13 10:05 澎湃新闻 记者 王晓'
        if _looks_like_outlet(outlet) and (len(rest) == 1 or rest[1] in _SPACED_ROLES):
            # '本文来源于国家统计局' names 国家统计局; '最新更新' names nothing
            return source_name(outlet)
        under_title = lines[0] if title_follows and 0 < index <= 3 else ""
        return source_name(under_title) if _looks_like_outlet(under_title) else None
    return None


def _looks_like_outlet(text: str) -> bool:
    if not _SOURCE_SHAPE.match(text) or text.isdigit() or is_drop_line(text):
        return False
    return not any(label in text for label in (*AUTHOR_LABELS[:2], *EDITOR_LABELS, "正文", "首页"))
