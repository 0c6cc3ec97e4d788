"""A grammar for Chinese credit lines, in simplified and traditional script.

A credit is a run of `[affiliation]ROLE[/ROLE…][separator]NAMES[／place報導]` pieces: '本报记者 王乐文
方 敏', '文/图 刘玺东 易赛楠', '執筆／陳美', '記者林悅／台北報導', '中央社記者邱俊欽桃園19日電',
'记者 张三 通讯员 李四'; or names then roles, when a role ends the line: '张三/文 李四/图'. It
is printed under the headline, in brackets on the body's first line ('本报讯（记者叶婉）', '新华社北京5月19日电（刘艺、杨吉）', '〔記者X／台北報導〕'), or at the body's
end ('（编译/林靖东）'). Every value is checked by scraper.extract.names: desks, units and role words
('綜合報導', '医技药剂党支部', '图') are no author. Plain strings in, plain strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scraper.extract.names import (
    CJK,
    NAME_CHARS,
    PEN_NAME_CHARS,
    is_outlet,
    is_person,
    persons,
    role_words_pattern,
    roles,
    source_name,
    starts_with_surname,
    wire_agencies,
)

AUTHOR, EDITOR, SOURCE, OTHER = "author", "editor", "source", "other"
ROLES: dict[str, str] = {w: kind for kind in (AUTHOR, EDITOR, SOURCE, OTHER) for w in roles()[kind]}
_GLUED, _AFFILIATED, _PHOTO = (tuple(roles()[k]) for k in ("glued", "affiliated", "photo"))

_ROLE_ALT = "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
_MULTI = role_words_pattern()
_SEP = r"[:：︰/／╱|｜丨︱]"
# [affiliation]ROLE[/ROLE][separator]: an affiliation starts a word and holds no role of its own
# ('记者张三通讯员李四' has none); only some roles take a name glued on (see credit_roles.toml).
_ROLE_RE = re.compile(
    rf"(?:(?<![^\s:：/／╱|｜丨︱、，,（(【\[〔])(?P<aff>(?:(?!{_MULTI})[{CJK}《》·]){{1,12}}?))?"
    rf"(?P<roles>(?:{_ROLE_ALT})(?:\s*[/／、]\s*(?:{_ROLE_ALT}))*)"
    rf"(?P<sep>\s*{_SEP}\s*|\s+|(?=[{CJK}])|$)"
)


@dataclass
class Credit:
    source: str | None = None
    author: str | None = None
    editor: str | None = None

    def __bool__(self) -> bool:
        return bool(self.source or self.author or self.editor)


def read_roles(text: str) -> Credit:
    """The credits of one credit segment: '记者 张三 通讯员 李四', '文/图 X Y', '编辑：王五'."""
    matches = [m for m in _ROLE_RE.finditer(text) if _is_role(m, text)]
    if _roles_follow_names(matches, text):
        return _read_names_then_roles(matches, text)
    if any(_dangling(m, text) for m in matches[1:]):
        return Credit()  # '在线荐稿记者博客联系记者': a menu of links, no credit
    found: dict[str, list[str]] = {}
    for i, match in enumerate(matches):
        end = _start(matches[i + 1]) if i + 1 < len(matches) else len(text)
        kind = _kind(match.group("roles"))
        value = text[match.end() : end]
        longest = PEN_NAME_CHARS if match.group("sep").strip() else NAME_CHARS  # 编辑：棒棒不是糖
        if kind == AUTHOR and _photo_follows(matches[i + 1 : i + 2], text):
            continue
        if not match.group("sep") and _VERB_AFTER_ROLE.match(value):
            continue  # '记者在现场看到': prose about the reporter, no name
        if (
            not match.group("sep")
            and re.match(rf"[{CJK}]", value)
            and not starts_with_surname(value)
        ):
            continue  # a role glued to a name: the name starts with a family name
        if kind in (AUTHOR, EDITOR) and (names := persons(_bar_cut(value), longest=longest)):
            found.setdefault(kind, []).append(names)
        elif kind == SOURCE and SOURCE not in found and (outlet := source_name(_bar_cut(value))):
            found[SOURCE] = [outlet]
    source = found.get(SOURCE, [None])[0] or _affiliation(matches) or _leading_outlet(text, matches)
    return _credit(source, found)


def _credit(source: str | None, found: dict[str, list[str]]) -> Credit:
    """The credit of a line: the names found for each role joined, in the line's order."""
    return Credit(
        source=source,
        author="、".join(found.get(AUTHOR, [])) or None,
        editor="、".join(found.get(EDITOR, [])) or None,
    )


def _roles_follow_names(matches: list[re.Match[str]], text: str) -> bool:
    """'张三/文 李四/图', '记者 刘洋 文/图': a line ending in a role set apart by a slash or a
    space names each role's people before it (a role glued on, '…联系记者', is a link)."""
    if not matches or matches[0].group("sep").strip():
        return False  # '作者：张三 编辑': a role with a colon names the people after it
    last = matches[-1]
    start = last.start("roles")
    return last.end() == len(text) and start > 0 and text[start - 1] in " /／"


def _read_names_then_roles(matches: list[re.Match[str]], text: str) -> Credit:
    found: dict[str, list[str]] = {}
    for i, match in enumerate(matches):
        before = text[matches[i - 1].end() if i else 0 : _start(match)]
        kind = _kind(match.group("roles"))
        if kind in (AUTHOR, EDITOR) and (names := persons(before.strip(" /／"))):
            found.setdefault(kind, []).append(names)
    return _credit(_affiliation(matches), found)


# Words that open a clause, not a name, when glued to 记者: '记者从…获悉', '记者在现场'.
_VERB_AFTER_ROLE = re.compile(
    r"^(?:在|从|從|对|對|就|与|與|跟|也|又|还|還|再|已|将|將|才|都|便|随|隨|近|今|昨|并|並|赴|到|获|獲|通过|通過)"
)


def _photo_follows(following: list[re.Match[str]], text: str) -> bool:
    """'记者 王文 摄' (a caption): the names before a closing 摄 took the photo."""
    return (
        bool(following)
        and following[0].group("roles") in _PHOTO
        and not text[following[0].end() :].strip(" ）)】]")
    )


def _bar_cut(value: str) -> str:
    return re.split(r"[|｜]", value)[0]


def _dangling(match: re.Match[str], text: str) -> bool:
    """A role glued to the text before it and ending the line: '…联系记者' is a link, no credit."""
    bare = match.end() == len(text) and not match.group("sep").strip()
    return bare and _kind(match.group("roles")) in (AUTHOR, EDITOR)


def _start(match: re.Match[str]) -> int:
    return match.start("aff") if match.group("aff") else match.start("roles")


def _is_role(match: re.Match[str], text: str) -> bool:
    roles = re.split(r"\s*[/／、]\s*", match.group("roles"))
    first, last = roles[0], roles[-1]
    start = match.start("roles")
    before = text[start - 1] if start else " "
    if (match.group("aff") or re.match(rf"[{CJK}A-Za-z0-9]", before)) and first not in _AFFILIATED:
        return False
    glued = not match.group("sep") and match.end() < len(text)
    return not glued or last in _GLUED


def _kind(roles: str) -> str:
    kinds = {ROLES[r] for r in re.split(r"\s*[/／、]\s*", roles)}
    return next(k for k in (AUTHOR, EDITOR, SOURCE, OTHER) if k in kinds)


def _affiliation(matches: list[re.Match[str]]) -> str | None:
    """'中央社記者X', '光明日报记者 X', '顶端新闻·河南商报记者X': the outlet a reporter writes for is
    the story's 来源 (not '本报', nor '总台央视', which names no outlet)."""
    for match in matches:
        aff = match.group("aff") or ""
        if agency := _agency_at_start(aff):
            return agency
        if _kind(match.group("roles")) == AUTHOR and is_outlet(aff):
            return source_name(aff.strip("《》"))
    return None


def _leading_outlet(text: str, matches: list[re.Match[str]]) -> str | None:
    """'聯合報／記者陳宏睿／台北即時報導': an outlet opening the byline before its first role."""
    prefix = text[: _start(matches[0])].strip(" /／╱|｜丨︱") if matches else ""
    return source_name(prefix) if is_outlet(prefix) else None


def _agency_at_start(text: str) -> str | None:
    text = text.lstrip("据據")
    return next((a for a in wire_agencies() if text.startswith(a)), None)


_OPEN, _CLOSE = "[（(〔【\\[「]", "[）)〕】\\]」]"
# 本报讯（记者叶婉）, 新京报快讯（记者 X）, 新华社北京5月19日电（刘艺、杨吉）, 据新华社拉萨电（记者 X）
_DATELINE = re.compile(
    rf"^\s*(?P<prefix>[^（(〔【\[。，,！？]{{1,30}}?(?:电|電|讯|訊|消息|报道|報導|報道))\s*"
    rf"{_OPEN}(?P<inner>[^（()）〔〕【】\[\]]{{2,40}}){_CLOSE}"
)
# A credit bracketed at a paragraph's start: （职工通讯员 X Y）, 〔記者X／台北報導〕, （中央社記者X台北19日電）
_LEADING = re.compile(rf"^\s*{_OPEN}(?P<inner>[^（()）〔〕【】\[\]]{{2,40}}){_CLOSE}")
# The same unbracketed: 中央社記者X台北19日電, 記者X／台北報導 (up to the first punctuation)
_BARE_LEAD = re.compile(r"^\s*(?P<inner>[^，。,！？（(]{3,30}?(?:報導|报道|報道|日電|日电))")
_TRAILING = re.compile(rf"{_OPEN}(?P<inner>[^（()）〔〕【】\[\]]{{2,60}}){_CLOSE}\s*$")


# 本文来自微信公众号“X”（ID：x），作者：Y — a repost from a WeChat account, and its writer.
_REPOST = re.compile(
    r"^\s*[（(【]?本文(?:来自|來自|转载自|轉載自|转自|轉自)(?:微信)?(?:公众号|公眾號)[：:]?\s*"
    r"[“\"「]?(?P<account>[^”\"」，,（(）)]{2,20})[”\"」]?\s*(?:[（(][^）)]{0,30}[）)])?"
    r"(?:[，,]\s*作者[：:为為]?\s*(?P<author>[^，,。；;（()）]{2,12}))?"
)


def repost_credit(paragraph: str | None) -> Credit:
    match = _REPOST.match(paragraph or "")
    if not match:
        return Credit()
    author = persons(match.group("author"), longest=PEN_NAME_CHARS)
    return Credit(source=source_name(match.group("account")), author=author)


def lead_credit(paragraph: str | None) -> Credit:
    """The credit opening a body: a dateline with its bracket, or a bracketed/bare byline."""
    text = paragraph or ""
    if repost := repost_credit(text):
        return repost
    dateline = _DATELINE.match(text)
    if dateline:
        credit = read_roles(dateline.group("inner"))
        wire = re.search(r"[电電]$", dateline.group("prefix"))
        if wire and not credit.author and not credit.editor:  # 新华社北京5月19日电（刘艺、杨吉）
            credit.author = persons(dateline.group("inner"), strict=True)
        credit.source = credit.source or _agency_at_start(dateline.group("prefix").strip())
        return credit
    for pattern in (_LEADING, _BARE_LEAD):
        match = pattern.match(text)
        inner = match.group("inner") if match else ""
        if match and (credit := read_roles(inner)).author:
            return credit
        wire = re.search(r"\d{1,2}日.{0,8}(?:电|電|報導|报道)$", inner)
        if wire and (agency := _agency_at_start(inner)):
            return Credit(source=agency)  # （中央社台北19日綜合外電報導）: an agency, no reporter
    return Credit()


def trailing_credit(paragraph: str) -> tuple[str, Credit]:
    """'…（编译/林靖东）' -> ('…', Credit(author='林靖东')); a paragraph without one is unchanged.
    Only a bracket with a role in it counts: a bare '（钟才文）' needs the caller's context."""
    match = _TRAILING.search(paragraph)
    credit = read_roles(match.group("inner")) if match else Credit()
    if not match or not (credit.author or credit.editor):
        return paragraph, Credit()
    return paragraph[: match.start()].rstrip(), credit


# A breadcrumb or a menu ('首页 > 记者专栏') is no credit line.
_NAVIGATION = re.compile(r"[>＞»›]|首页|首頁|当前位置|當前位置|您的位置")


def credit_line(line: str) -> Credit:
    """A line that is nothing but a credit: '光明日报记者 王建宏 张文攀', '执笔/陈美', '《棱镜》作者 周纯'."""
    text = line.strip().strip("【】[]〔〕（）()")
    if (
        len(text) > 60
        or re.search(r"[。！？，,；（）()【】〔〕]", text)
        or _NAVIGATION.search(text)
    ):
        return Credit()
    segmented = _SEGMENT_ROLE.sub(r"\1\2：", text) if re.search("[|｜]", text) else text
    credit = read_roles(segmented)
    if credit.author and not credit.source:
        credit.source = _named_outlet(text)
    return credit if credit else _name_and_outlet(text) or Credit(source=wire_dateline(text))


def _name_and_outlet(text: str) -> Credit | None:
    """'石佳/中国青年报': a writer and the outlet the story comes from; '謝明俊／台北報導': a writer
    and where they report from."""
    match = re.match(rf"^([{CJK}]{{2,4}})\s*[/／╱]\s*([^/／╱\s]{{2,16}})$", text)
    if not match or not is_person(match.group(1)):
        return None
    if re.search(r"(?:報導|报道|報道)$", match.group(2)):
        return Credit(author=match.group(1))
    return (
        Credit(source=source_name(match.group(2)), author=match.group(1))
        if is_outlet(match.group(2))
        else None
    )


def wire_dateline(line: str) -> str | None:
    """'2018-02-28 14:31中央社 澎湖縣28日電': a wire agency's dateline on an info line."""
    match = _wire_dateline_re().search(line) if "日" in line else None
    return match.group("agency") if match else None


@lru_cache(maxsize=1)
def _wire_dateline_re() -> re.Pattern[str]:
    agencies = "|".join(map(re.escape, wire_agencies()))
    return re.compile(rf"(?P<agency>{agencies})\s*[{CJK}]{{0,6}}\d{{1,2}}日\s*[电電]")


# '发表于2014-08-24 21:30| 来源CSDN| 作者魏星': in a line cut by bars a role opens its segment.
_SEGMENT_ROLE = re.compile(rf"((?:^|[|｜])\s*)({_MULTI})(?=[^\s:：︰/／|｜丨︱])")


def _named_outlet(text: str) -> str | None:
    """'《棱镜》作者 周纯': an outlet in book-title marks opening a byline is its 来源."""
    match = re.match(r"^《([^》]{2,12})》", text)
    return match.group(1) if match else None
