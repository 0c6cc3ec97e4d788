"""A grammar for Chinese credit lines, in simplified and traditional script.

A credit is a run of `[affiliation]ROLE[/ROLE…][separator]NAMES[／place報導]` pieces: '本报记者 王乐文
方 敏', '文/图 刘玺东 易赛楠', '執筆／陳美', '記者林悅／台北報導', '中央社記者邱俊欽桃園19日電',
'记者 张三 通讯员 李四'. It is printed under the headline, in brackets on the body's first line
('本报讯（记者叶婉）', '新华社北京5月19日电（刘艺、杨吉）', '〔記者X／台北報導〕'), or at the body's
end ('（编译/林靖东）'). Every name is checked to be a person: desks, units and role words
('綜合報導', '医技药剂党支部', '图') are no author. Plain strings in, plain strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"

AUTHOR, EDITOR, SOURCE, OTHER = "author", "editor", "source", "other"
_ROLE_WORDS = {
    AUTHOR: "作者 記者 记者 文 撰文 执笔 執筆 采写 採寫 通讯员 通訊員 编译 編譯 撰稿 撰稿人 评论员 "
    "評論員 实习生 實習生 主笔 主筆 口述 翻译 翻譯 译 譯 整理 文字 专栏作家 專欄作家",
    EDITOR: "责编 責編 责任编辑 責任編輯 编辑 編輯 值班编辑 本文编辑 网络编辑 網路編輯 编审 編審",
    SOURCE: "来源 來源 稿源 出处 出處 来源于 本文来源 文章来源 稿件来源 信息来源 新聞來源 转载自 轉載自 "
    "转自 轉自 摘自 本文转自 本文轉自 本文来自 本文來自",
    OTHER: "图 圖 摄影 攝影 摄 攝 图片 圖片 视频 視頻 摄像 攝像 审核 審核 校对 校對 监制 監製 统筹 統籌 "
    "策划 策劃 设计 設計 美编 美編 排版 出品 制作 製作 主编 主編 总编 總編 终审 終審 初审 初審 "
    "复审 複審 审校 審校 海报 海報 剪辑 剪輯 配音 设计制作",
}
ROLES: dict[str, str] = {w: kind for kind, words in _ROLE_WORDS.items() for w in words.split()}
# Roles a name may follow with nothing between them ('记者叶婉', '通讯员张三'); others need a
# separator, or '作者单位' and '编辑部' would read as credits.
_GLUED = ("记者", "記者", "通讯员", "通訊員", "实习生", "實習生")
# Roles an organisation may precede ('光明日报记者', '松花江网编辑', '总台央视记者').
_AFFILIATED = (
    *_GLUED,
    "编辑",
    "編輯",
    "评论员",
    "評論員",
    "编译",
    "編譯",
    "作者",
    "撰稿人",
    "撰稿",
)
_PHOTO = ("摄", "攝", "摄影", "攝影")  # '新华社记者 李贺 摄' credits a photo, not the story

_CJK = "\u4e00-\u9fff"
_ROLE_ALT = "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
_SEP = r"[:：︰/／╱|｜丨︱]"
# An affiliation is a word that holds no role of its own ('记者张三通讯员李四' has none).
_MULTI = "|".join(sorted((re.escape(r) for r in ROLES if len(r) > 1), key=len, reverse=True))
_ROLE_RE = re.compile(
    rf"(?:(?<![^\s:：/／|｜丨︱、，,（(【\[〔])(?P<aff>(?:(?!{_MULTI})[{_CJK}《》·]){{1,12}}?))?(?P<roles>(?:{_ROLE_ALT})(?:\s*[/／、]\s*(?:{_ROLE_ALT}))*)"
    rf"(?P<sep>\s*{_SEP}\s*|\s+|(?=[{_CJK}])|$)"
)
# What follows the names and is not one: '／台北報導', '发自北京', '台北19日電', '摄'.
_REPORT_TAIL = re.compile(
    rf"(?:\s*[/／╱]\s*[^/／╱]{{0,10}}(?:报道|報導|報道|电|電|讯|訊)|\s*(?:发自|發自|报道|報導|報道)[{_CJK}]*"
    r"|\s*\d{1,2}日\s*(?:电|電|讯|訊))\s*$"
)
_NAME_SPLIT = re.compile(r"\s*[、,，;；/／╱|｜]\s*")
_STAFF_CODE = re.compile(r"[_\s]*[A-Z]{1,3}\d{2,5}$")
_CJK_NAME = re.compile(rf"^[{_CJK}]{{2,6}}$|^[{_CJK}]{{1,6}}(?:[·•‧・][{_CJK}]{{1,8}})+$")
# A Chinese name has 2-4 characters; a labelled value (编辑：棒棒不是糖) may be a longer pen name.
NAME_CHARS, PEN_NAME_CHARS = 4, 6
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.'\- ]{1,30}$")  # 'Tom Lee', 'alonliu', 'HN666'
# Unit endings no person's name has: '医技药剂党支部', '社會中心', '松花江网'.
_UNIT_END = re.compile(
    r"(中心|支部|部门|部門|公司|集团|集團|频道|頻道|新闻|新聞|日报|日報|晚报|晚報|报道|報導|整理|编译|編譯|"
    r"工作室|办公室|辦公室|委员会|委員會|研究所|编辑部|編輯部|客户端|公众号|公眾號|"
    r"供图|供圖|提供|[社网網局办辦委报報部厅廳站刊摄攝])$|^.{2,}(?:[台院所室处處会會团團队隊组組科])$"
)
# How an outlet's name ends: 光明日报, 中国青年报, 中时新闻网, 澎湃新闻, 财经杂志.
_OUTLET_END = re.compile(r"(报|報|网|網|社|台|新闻|新聞|周刊|週刊|杂志|雜誌|客户端|時報|时报)》?$")
_UI_WORDS = re.compile(
    r"^(?:最新|更新|分享|打印|收藏|评论|評論|返回|首页|首頁|字号|字體|关注|關注)"
)


@dataclass
class Credit:
    source: str | None = None
    author: str | None = None
    editor: str | None = None

    def __bool__(self) -> bool:
        return bool(self.source or self.author or self.editor)


@lru_cache(maxsize=1)
def _not_persons() -> frozenset[str]:
    return frozenset(_words("not_persons.txt"))


@lru_cache(maxsize=1)
def wire_agencies() -> tuple[str, ...]:
    return tuple(sorted(_words("wire_agencies.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _places() -> tuple[str, ...]:
    return tuple(sorted(_words("dateline_places.txt"), key=len, reverse=True))


def _words(name: str) -> list[str]:
    lines = (_DATA / name).read_text("utf-8").splitlines()
    return [w for line in lines if not line.startswith("#") for w in line.split()]


def is_person(name: str, longest: int = NAME_CHARS) -> bool:
    """A name, a pen name or a staff handle: not a role word, a desk or a unit."""
    if "&" in name:  # a pair of pen names printed as one credit
        return all(is_person(part, longest) for part in name.split("&"))
    base = _STAFF_CODE.sub("", name).strip() or name
    if base in _not_persons() or base in _places() or re.search(_MULTI, base):
        return False
    if _UI_WORDS.match(base):
        return False
    if _LATIN_NAME.match(base):
        return True
    cjk = bool(_CJK_NAME.match(base)) and not _UNIT_END.search(base)
    return cjk and ("·" in base or len(base) <= longest)


def persons(raw: str | None, strict: bool = False, longest: int = NAME_CHARS) -> str | None:
    """The persons in a credit value joined by 、, or None. '方 敏' is one name (single characters
    spaced out); `strict` (names with no label before them) wants every piece to be a name."""
    value = re.sub(r"\s*等\s*$", "", _REPORT_TAIL.sub("", (raw or "").strip()))  # 'X、Y等'
    parts = _NAME_SPLIT.split(value)
    pieces = _spaced_singles([w for p in parts for w in (p.split() if _has_cjk(p) else [p])])
    names = [_without_place(p) for p in pieces if p]
    kept = [n for n in names if is_person(n, longest)]
    if strict and (len(kept) != len(names) or any(len(n) > 4 for n in kept)):
        return None
    return "、".join(kept) or None


def _has_cjk(text: str) -> bool:
    return bool(re.search(f"[{_CJK}]", text))


def _spaced_singles(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and len(piece) == 1 and len(joined[-1]) == 1:
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _without_place(name: str) -> str:
    """'邱俊欽桃園' -> '邱俊欽': a dateline glues the place to the reporter's name."""
    if len(name) <= 4:
        return name
    for place in _places():
        if name.endswith(place) and 2 <= len(name) - len(place) <= 4:
            return name[: -len(place)]
    return name


def read_roles(text: str) -> Credit:
    """The credits of one credit segment: '记者 张三 通讯员 李四', '文/图 X Y', '编辑：王五'."""
    matches = [m for m in _ROLE_RE.finditer(text) if _is_role(m, text)]
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
        if kind in (AUTHOR, EDITOR) and (names := persons(value, longest=longest)):
            found.setdefault(kind, []).append(names)
        elif kind == SOURCE and SOURCE not in found and (outlet := source_name(_bar_cut(value))):
            found[SOURCE] = [outlet]
    source = found.get(SOURCE, [None])[0] or _affiliation(matches) or _leading_outlet(text, matches)
    return Credit(
        source=source,
        author="、".join(found.get(AUTHOR, [])) or None,
        editor="、".join(found.get(EDITOR, [])) or None,
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
    if (match.group("aff") or re.match(rf"[{_CJK}A-Za-z0-9]", before)) and first not in _AFFILIATED:
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
        if _kind(match.group("roles")) == AUTHOR and _is_outlet(aff):
            return source_name(aff.strip("《》"))
    return None


def _leading_outlet(text: str, matches: list[re.Match[str]]) -> str | None:
    """'聯合報／記者陳宏睿／台北即時報導': an outlet opening the byline before its first role."""
    prefix = text[: _start(matches[0])].strip(" /／╱|｜丨︱") if matches else ""
    return source_name(prefix) if _is_outlet(prefix) else None


def _is_outlet(text: str) -> bool:
    return len(text) >= 2 and not text.startswith("本") and bool(_OUTLET_END.search(text))


def _agency_at_start(text: str) -> str | None:
    text = text.lstrip("据據")
    return next((a for a in wire_agencies() if text.startswith(a)), None)


_OPEN, _CLOSE = "[（(〔【\\[「]", "[）)〕】\\]」]"
# 本报讯（记者叶婉）, 新京报快讯（记者 X）, 新华社北京5月19日电（刘艺、杨吉）, 据新华社拉萨电（记者 X）
_DATELINE = re.compile(
    rf"^\s*(?P<prefix>[^（(〔【\[。，,！？]{{1,30}}?(?:电|電|讯|訊|消息|报道|報導))\s*"
    rf"{_OPEN}(?P<inner>[^（()）〔〕【】\[\]]{{2,40}}){_CLOSE}"
)
# A credit bracketed at a paragraph's start: （职工通讯员 X Y）, 〔記者X／台北報導〕, （中央社記者X台北19日電）
_LEADING = re.compile(rf"^\s*{_OPEN}(?P<inner>[^（()）〔〕【】\[\]]{{2,40}}){_CLOSE}")
# The same unbracketed: 中央社記者X台北19日電, 記者X／台北報導 (up to the first punctuation)
_BARE_LEAD = re.compile(r"^\s*(?P<inner>[^，。,！？（(]{3,30}?(?:報導|报道|日電|日电))")
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
        if re.search(r"\d{1,2}日[电電]$", inner) and (agency := _agency_at_start(inner)):
            return Credit(source=agency)  # （中央社台北19日電）: an agency and no reporter
    return Credit()


def trailing_credit(paragraph: str) -> tuple[str, Credit]:
    """'…（编译/林靖东）' -> ('…', Credit(author='林靖东')); a paragraph without one is unchanged.
    Only a bracket with a role in it counts: a bare '（钟才文）' needs the caller's context."""
    match = _TRAILING.search(paragraph)
    credit = read_roles(match.group("inner")) if match else Credit()
    if not match or not (credit.author or credit.editor):
        return paragraph, Credit()
    return paragraph[: match.start()].rstrip(), credit


def credit_line(line: str) -> Credit:
    """A line that is nothing but a credit: '光明日报记者 王建宏 张文攀', '执笔/陈美', '《棱镜》作者 周纯'."""
    text = line.strip().strip("【】[]〔〕（）()")
    if len(text) > 60 or re.search(r"[。！？，,；（）()【】〔〕]", text):
        return Credit()
    segmented = _SEGMENT_ROLE.sub(r"\1\2：", text) if re.search("[|｜]", text) else text
    credit = read_roles(segmented)
    if credit.author and not credit.source:
        credit.source = _named_outlet(text)
    return credit if credit else _name_and_outlet(text) or Credit(source=wire_dateline(text))


# '石佳/中国青年报': a writer and the outlet the story comes from.


def _name_and_outlet(text: str) -> Credit | None:
    match = re.match(rf"^([{_CJK}]{{2,4}})\s*[/／]\s*([^/／\s]{{2,16}})$", text)
    if not match or not is_person(match.group(1)) or not _OUTLET_END.search(match.group(2)):
        return None
    return Credit(source=source_name(match.group(2)), author=match.group(1))


def wire_dateline(line: str) -> str | None:
    """'2018-02-28 14:31中央社 澎湖縣28日電': a wire agency's dateline on an info line."""
    for agency in wire_agencies():
        if re.search(rf"{re.escape(agency)}\s*[{_CJK}]{{0,6}}\d{{1,2}}日\s*[电電]", line):
            return agency
    return None


# '发表于2014-08-24 21:30| 来源CSDN| 作者魏星': in a line cut by bars a role opens its segment.
_SEGMENT_ROLE = re.compile(rf"((?:^|[|｜])\s*)({_MULTI})(?=[^\s:：︰/／|｜丨︱])")


def _named_outlet(text: str) -> str | None:
    """'《棱镜》作者 周纯': an outlet in book-title marks opening a byline is its 来源."""
    match = re.match(r"^《([^》]{2,12})》", text)
    return match.group(1) if match else None


# '本文来源于国家统计局', '转载自澎湃新闻', '据新华社': the outlet follows a verb, not a label.
_SOURCE_LEAD = re.compile(
    r"^(?:本文|本稿|文章|稿件)?(?:来源于|來源於|转载自|轉載自|转自|轉自|摘自|选自|選自|来自|來自|据|據)[:：\s]*"
    r"(?:微信)?(?:公众号|公眾號)?[:：\s]*"
)
# Another label glued on: '证券时报网作者：李在山', '人民日报 发布时间：…'.
_OTHER_LABEL = re.compile(
    r"(?:作者|记者|記者|编辑|編輯|责编|責編|(?:發布|发布|更新)?(?:時間|时间|日期)|發布|发布|浏览|瀏覽|"
    r"点击|點擊|阅读|閱讀)"
    r"\s*[:：︰]"
)
_SOURCE_UI = re.compile(
    r"^(?:最新|更新|分享|打印|收藏|评论|評論|返回|首页|首頁|字号|正文|关注|關注)"
)
_NON_SOURCES = frozenset(
    (
        "网络",
        "網路",
        "互联网",
        "互聯網",
        "未知",
        "转载",
        "轉載",
        "转载文章",
        "其他",
        "网友",
        "综合",
        "本站",
    )
)


def source_name(raw: str | None) -> str | None:
    """A 来源 value that names an outlet, repaired or dropped: a UI word, a sentence, a date or a
    placeholder is no source."""
    value = _SOURCE_LEAD.sub("", (raw or "").strip())
    cut = _OTHER_LABEL.search(value)
    value = (value[: cut.start()] if cut else value).strip(' :：·-—|｜,，。“”"「」')
    if not value or len(value) > 30 or value in _NON_SOURCES or _SOURCE_UI.match(value):
        return None
    if re.search(r"://|^www\.", value):  # a link is where the text was found, not who wrote it
        return None
    if re.search(r"[，。！？；]", value) or not re.search(rf"[{_CJK}A-Za-z]", value):
        return None
    return value if not re.match(r"^\d{4}\s*[-/.年]", value) else None  # a date, not '21世纪…'
