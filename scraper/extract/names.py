"""Is a credit value what it claims to be? Person names for 作者/责编, outlet names for 来源.

A value in the author slot may be a desk ('社會中心／綜合報導'), a unit ('医技药剂党支部'), a role
word ('图', '整合') or a place; a 来源 may be a UI word ('最新更新'), a sentence, a date or carry
another label ('证券时报网作者：李在山'). These are dropped or repaired. Vocabularies are data:
data/credit_roles.toml, not_persons.txt, dateline_places.txt, wire_agencies.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

_DATA = Path(__file__).parent / "data"
CJK = "\u4e00-\u9fff"

# A Chinese name has 2-4 characters; a labelled value (编辑：棒棒不是糖) may be a longer pen name.
NAME_CHARS, PEN_NAME_CHARS = 4, 6
_STAFF_CODE = re.compile(r"[_\s]*[A-Z]{1,3}\d{2,5}$")  # 李曦_NN2587
_CJK_NAME = re.compile(rf"^[{CJK}]{{2,6}}$|^[{CJK}]{{1,6}}(?:[·•‧・][{CJK}]{{1,8}})+$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9.'\- ]{1,30}$")  # 'Tom Lee', 'alonliu', 'HN666'
# Unit endings no person's name has: '医技药剂党支部', '社會中心', '松花江网'.
_UNIT_END = re.compile(
    r"(中心|支部|部门|部門|公司|集团|集團|频道|頻道|新闻|新聞|日报|日報|晚报|晚報|报道|報導|整理|编译|編譯|"
    r"工作室|办公室|辦公室|委员会|委員會|研究所|编辑部|編輯部|客户端|公众号|公眾號|"
    r"供图|供圖|提供|大学|大學|学院|學院|医院|醫院|学校|學校|中学|中學|小学|小學|协会|協會|学会|學會|"
    r"银行|銀行|政府|[社网網局办辦委报報部厅廳站刊摄攝])$"
    r"|^.{2,}(?:[台院所室处處会會团團队隊组組科区區县縣市省州镇鎮乡鄉村])$"
)
# How an outlet's name ends: 光明日报, 中国青年报, 中时新闻网, 澎湃新闻, 财经杂志.
_OUTLET_END = re.compile(r"(报|報|网|網|社|台|新闻|新聞|周刊|週刊|杂志|雜誌|客户端|時報|时报)》?$")
_UI_WORDS = re.compile(
    r"^(?:最新|更新|分享|打印|收藏|评论|評論|返回|首页|首頁|字号|字體|关注|關注|阅读|閱讀|浏览|瀏覽|"
    r"点击|點擊|点赞|點讚|举报|舉報|关闭|關閉|转发|轉發|扫码|掃碼|下载|下載|登录|登錄|注册|註冊)"
)
# What follows the names and is not one: '／台北報導', '发自北京', '19日電'.
REPORT_TAIL = re.compile(
    rf"(?:\s*[/／╱]\s*[^/／╱]{{0,10}}(?:报道|報導|報道|电|電|讯|訊)"
    rf"|\s*(?:发自|發自|报道|報導|報道)[{CJK}]*|\s*\d{{1,2}}日\s*(?:电|電|讯|訊))\s*$"
)
_NAME_SPLIT = re.compile(r"\s*[、,，;；/／╱|｜]\s*")


@lru_cache(maxsize=1)
def roles() -> dict[str, list[str]]:
    """data/credit_roles.toml: each entry a list of role words."""
    table = tomllib.loads((_DATA / "credit_roles.toml").read_text("utf-8"))
    return {kind: words.split() for kind, words in table.items()}


@lru_cache(maxsize=1)
def role_words_pattern() -> str:
    """Every role word of two characters or more, as a regex alternation, longest first."""
    words = {w for kind in ("author", "editor", "source", "other") for w in roles()[kind]}
    return "|".join(sorted((re.escape(w) for w in words if len(w) > 1), key=len, reverse=True))


@lru_cache(maxsize=1)
def _not_persons() -> frozenset[str]:
    return frozenset(_words("not_persons.txt"))


@lru_cache(maxsize=1)
def wire_agencies() -> tuple[str, ...]:
    return tuple(sorted(_words("wire_agencies.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _places() -> tuple[str, ...]:
    return tuple(sorted(_words("dateline_places.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _surnames() -> tuple[str, ...]:
    return tuple(sorted(_words("surnames.txt"), key=len, reverse=True))


def starts_with_surname(text: str) -> bool:
    """Whether `text` opens with a Chinese family name: names glued to a role without any
    separator ('记者马俊峰') must, or '小记者训练营' would credit a 训练营."""
    return text.strip().startswith(_surnames())


def _words(name: str) -> list[str]:
    lines = (_DATA / name).read_text("utf-8").splitlines()
    return [w for line in lines if not line.startswith("#") for w in line.split()]


def is_person(name: str, longest: int = NAME_CHARS) -> bool:
    """A name, a pen name or a staff handle: not a role word, a desk, a unit or a place."""
    if "&" in name:  # a pair of pen names printed as one credit
        return all(is_person(part, longest) for part in name.split("&"))
    base = _STAFF_CODE.sub("", name).strip() or name
    if base in _not_persons() or base in _places() or re.search(role_words_pattern(), base):
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
    value = re.sub(r"\s*等\s*$", "", REPORT_TAIL.sub("", (raw or "").strip()))  # 'X、Y等'
    value = re.sub(r"[（(][^（()）]{1,8}[）)]", " ", value)  # '张三（实习）', '李四(图)'
    parts = _NAME_SPLIT.split(value)
    pieces = join_spaced_singles([w for p in parts for w in (p.split() if _has_cjk(p) else [p])])
    names = [_without_place(p) for p in pieces if p]
    kept = [n for n in names if is_person(n, longest)]
    # Unlabelled names are the common ones, of two or three characters ('（国际观察）' is none).
    if strict and (len(kept) != len(names) or any(len(n) > 3 and "·" not in n for n in kept)):
        return None
    return "、".join(kept) or None


def _has_cjk(text: str) -> bool:
    return bool(re.search(f"[{CJK}]", text))


def join_spaced_singles(pieces: list[str]) -> list[str]:
    """Single characters next to each other are one name printed spaced out: ['方', '敏'] -> ['方敏']."""
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


def is_outlet(text: str) -> bool:
    """'光明日报', '明報', '《财经》': an outlet's name, but not '本报' (the page's own paper)."""
    return len(text) >= 2 and not text.startswith("本") and bool(_OUTLET_END.search(text))


# '本文来源于国家统计局', '转载自澎湃新闻', '据新华社': the outlet follows a verb, not a label.
_SOURCE_LEAD = re.compile(
    r"^(?:本文|本稿|文章|稿件)?(?:来源于|來源於|转载自|轉載自|转自|轉自|摘自|选自|選自|来自|來自|据|據)"
    r"[:：\s]*(?:微信)?(?:公众号|公眾號)?[:：\s]*"
)
# Another label glued on: '证券时报网作者：李在山', '人民日报 发布时间：…'.
_OTHER_LABEL = re.compile(
    r"(?:作者|记者|記者|编辑|編輯|责编|責編|(?:發布|发布|更新)?(?:時間|时间|日期)|發布|发布|浏览|瀏覽|"
    r"点击|點擊|阅读|閱讀)\s*[:：︰]"
)
_SOURCE_UI = re.compile(
    r"^(?:最新|更新|分享|打印|收藏|评论|評論|返回|首页|首頁|字号|正文|关注|關注)"
)
_NON_SOURCES = frozenset(
    [
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
    ]
)


def source_name(raw: str | None) -> str | None:
    """A 来源 value that names an outlet, repaired or dropped: a UI word, a sentence, a date, a
    link or a placeholder is no source."""
    value = _SOURCE_LEAD.sub("", (raw or "").strip())
    cut = _OTHER_LABEL.search(value)
    value = (value[: cut.start()] if cut else value).strip(' :：·-—|｜,，。“”"「」【】[]')
    if not value or len(value) > 30 or value in _NON_SOURCES or _SOURCE_UI.match(value):
        return None
    if re.search(r"://|^www\.", value):  # a link is where the text was found, not who wrote it
        return None
    if re.search(r"[，。！？；]", value) or not re.search(rf"[{CJK}A-Za-z]", value):
        return None
    return value if not re.match(r"^\d{4}\s*[-/.年]", value) else None  # a date, not '21世纪…'
