"""Clean metadata values out of the labelled text Chinese portals print around an article.

来源 / 作者 / 责编 lines come with ASCII or full-width punctuation, in brackets or bare, and often
glued to a date ("来源:人民邮电报2025-09-23 14:39"). Everything here works on plain strings so the
text-capture path and the HTML path share it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from scraper.extract.credits import trailing_credit
from scraper.extract.dates import ZONE_WORDS, parse_other_date, zone_of
from scraper.extract.names import PEN_NAME_CHARS, is_person, join_spaced_singles, source_name

BEIJING = timezone(timedelta(hours=8))

# Zero-width characters and odd spaces that portals sprinkle into text.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_OTHER_SPACES = "\t\n\u00a0\u3000\u2002\u2003\u2009\u202f\r\f\v"  # every space but " "
_SPACES = re.compile(f"[ {_OTHER_SPACES}]+")

SOURCE_LABELS = (
    "来源", "來源", "稿源", "出处", "来源于", "本文来源", "文章来源", "稿件来源", "信息来源", "原创",
)  # fmt: skip
AUTHOR_LABELS = (
    "作者", "記者", "记者", "撰文", "撰稿", "文", "通讯员", "特约记者", "本报记者", "作者名", "编译",
    "评论员", "本报评论员", "特约评论员",
)  # fmt: skip
EDITOR_LABELS = ("责任编辑", "責任編輯", "责编", "編輯", "编辑", "值班编辑", "选稿", "本文编辑")
DATE_LABELS = (
    "发布时间", "發布時間", "发表时间", "更新时间", "发稿时间", "出版時間", "发布日期", "时间",
    "時間", "日期",
)  # fmt: skip
_ALL_LABELS = sorted(
    {*SOURCE_LABELS, *AUTHOR_LABELS, *EDITOR_LABELS, *DATE_LABELS}, key=len, reverse=True
)

# Between a label and its value: colons, and the bars/slashes of 作者︱春春, 编辑/倪家宁, 文丨韩涵.
_COLON = r"\s*[:：︰丨︱|｜/]\s*"
_OPEN = "[(（\\[【〔「]"
_CLOSE = "[)）\\]】〕」]"

# 2025-09-23 14:39[:05], 2025/9/23, 2025.09.23, 2025年9月23日 14时39分, 2024年5月20日週一 下午2:05,
# 2012年12月10日, 格林尼治标准时间10:41 (a zone named before or after the time)
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:星期|周|週)[一二三四五六日天])?"
    rf"(?:[\sT,，|｜丨]*(?P<zone>{ZONE_WORDS})?\s*(?P<half>上午|下午|晚上|早上|凌晨|中午)?\s*"
    r"(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?"
    r"(?:\s*(?P<zone_after>GMT|UTC)\b)?)?"
)
_OFFSET_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def clean_text(text: str) -> str:
    """Collapse runs of spaces (incl. U+3000, nbsp) to one and drop zero-width characters."""
    if len(text) > _LONG_TEXT:
        return clean_long_text(text)
    if _HAS_INVISIBLE.search(text):  # rare: translate() is slow enough to skip when it can
        text = text.translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def clean_long_text(text: str) -> str:
    """clean_text by whole-string passes: on a long text the regex pays for every single space
    it replaces by itself (15 ms for a 170,000-character keyword block), str.replace does not."""
    if any(char in text for char in _INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE)
    for space in _OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:  # each pass halves every run of spaces
        text = text.replace("  ", " ")
    return text.strip()


_LONG_TEXT = 2000


def parse_datetime(text: str | None) -> str | None:
    """The first date in `text` as ISO 8601: with +08:00 when it has a time, else YYYY-MM-DD."""
    if not text:
        return None
    iso = _parse_iso_with_offset(text.strip())
    if iso:
        return iso
    match = DATE_RE.search(text)
    if not match:
        return parse_other_date(text)
    return _format_match(match)


_RELATIVE = re.compile(
    r"(?P<now>刚刚|剛剛)|(?P<n>\d{1,3})\s*(?P<unit>分钟|分鐘|小时|小時|天)前|"
    r"(?P<day>今天|昨天|前天)\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})|"
    r"(?<!\d)(?P<mo>\d{1,2})[-/月](?P<d>\d{1,2})日?\s*(?P<H2>\d{1,2})[:：](?P<M2>\d{2})"
)
_UNITS = {"分钟": "minutes", "分鐘": "minutes", "小时": "hours", "小時": "hours", "天": "days"}
_DAYS_AGO = {"今天": 0, "昨天": 1, "前天": 2}


def parse_relative(text: str | None, now: datetime | None) -> str | None:
    """刚刚, N分钟前, N小时前, 昨天 08:30, 前天 08:30 and 月日 without a year ('10-08 12:00'),
    resolved against `now` (when the page was fetched); None without a `now`."""
    match = _RELATIVE.search(text or "") if now is not None else None
    if match is None or now is None:
        return None
    now = now.astimezone(BEIJING).replace(microsecond=0)
    parts = match.groupdict()
    if parts["now"]:
        moment = now
    elif parts["n"]:
        moment = now - timedelta(**{_UNITS[parts["unit"]]: int(parts["n"])})
    elif parts["day"]:
        day = now - timedelta(days=_DAYS_AGO[parts["day"]])
        moment = day.replace(hour=int(parts["H"]), minute=int(parts["M"]), second=0)
    else:
        try:
            moment = now.replace(month=int(parts["mo"]), day=int(parts["d"]),
                                 hour=int(parts["H2"]), minute=int(parts["M2"]), second=0)  # fmt: skip
        except ValueError:
            return None
        if moment > now + timedelta(days=1):  # "12-30" read in January is last year's
            moment = moment.replace(year=moment.year - 1)
    return moment.isoformat()


def _format_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    try:
        day = datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        if parts["H"] is None:
            return day.date().isoformat()
        hour = int(parts["H"])
        if parts["half"] in ("下午", "晚上") and hour < 12:
            hour += 12  # 下午2:05 is 14:05
        moment = day.replace(hour=hour, minute=int(parts["M"]), second=int(parts["S"] or 0))
    except ValueError:  # 2025-13-45 and friends: not a date
        return None
    return moment.replace(tzinfo=zone_of(parts["zone"] or parts["zone_after"])).isoformat()


def _parse_iso_with_offset(text: str) -> str | None:
    """Machine dates (meta tags, JSON-LD) with an explicit offset, shown in Beijing time."""
    if not _OFFSET_RE.search(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(BEIJING).isoformat()


def split_value_and_date(value: str) -> tuple[str, str | None]:
    """'人民邮电报2025-09-23 14:39' -> ('人民邮电报', '2025-09-23T14:39:00+08:00')."""
    match = DATE_RE.search(value)
    if not match:
        return value, None
    return value[: match.start()], _format_match(match)


def labelled_values(text: str) -> dict[str, str]:
    """Every `label:value` pair in a metadata line, keyed by the label as written.

    '来源：人民日报 作者：张三 2024-05-13 08:49' -> {'来源': '人民日报 ', '作者': '张三 2024-05-13 08:49'}
    """
    starts = list(_LABEL_RE.finditer(text))
    values: dict[str, str] = {}
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        values.setdefault(match.group(1), text[match.end() : end])
    return values


_LABEL_RE = re.compile(rf"(?<![\u4e00-\u9fff])({'|'.join(map(re.escape, _ALL_LABELS))}){_COLON}")


def first_labelled(text: str, labels: tuple[str, ...]) -> str | None:
    return pick(labelled_values(text), labels)


def pick(values: dict[str, str], labels: tuple[str, ...]) -> str | None:
    """From labelled_values' result, the value of the first of `labels` (in labels' order)."""
    return next((values[label] for label in labels if label in values), None)


def pick_last(values: dict[str, str], labels: tuple[str, ...]) -> str | None:
    """From labelled_values' result, the value of whichever of `labels` comes last in the text."""
    found = [value for label, value in values.items() if label in labels]
    return found[-1] if found else None


def clean_source(raw: str | None) -> str | None:
    """A 来源 value without its trailing date, brackets, separators or other labels."""
    if not raw:
        return None
    value, _ = split_value_and_date(clean_text(raw))
    value = re.split(r"\s{2,}|[|｜]| - ", value)[0]
    return source_name(_strip_brackets(value))


def clean_names(raw: str | None) -> str | None:
    """作者/责编 values as names joined by 、: '[ 责编：肖春芳 ]' -> '肖春芳', '王乐文 方敏' kept."""
    if not raw:
        return None
    value, _ = split_value_and_date(clean_text(raw))
    value = _strip_brackets(value)
    value = re.split(r"[|｜]|\s{2,}", value)[0].strip()
    value = re.sub(r"\s*[（(][^（()）]{1,8}[）)]", "", value)  # '张三（实习）', '李四(图)'
    names = [n for part in re.split(r"\s*[、,，;；/]\s*", value) for n in _split_spaced(part)]
    kept = [
        n for n in _without_job_title("、".join(names)).split("、") if is_person(n, PEN_NAME_CHARS)
    ]
    return "、".join(kept) or None  # '陈智、整合' -> '陈智'; '医技药剂党支部' -> None


def _without_job_title(names: str) -> str:
    """'政能亮特约评论员、韩涵' -> '韩涵'; '…研究部部长、研究员徐占忱' -> '徐占忱'."""
    parts = names.split("、")
    if len(parts) > 1 and re.search(r"(员|者|长|师|家|人)$", parts[0]) and len(parts[0]) > 4:
        names = "、".join(parts[1:])
    titled = re.search(
        r"(?:研究员|评论员|教授|主任|院长|部长|记者|编辑|作家)([\u4e00-\u9fff]{2,4})$", names
    )
    return titled.group(1) if len(names) > 12 and titled else names


def _split_spaced(part: str) -> list[str]:
    """'李明 王芳' is two names; '方 敏' is one name printed with a space (single characters)."""
    pieces = part.split()
    if not _is_cjk("".join(pieces)):
        return [part] if part else []  # 'John Smith' is one name
    return join_spaced_singles(pieces)


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


def _strip_brackets(value: str) -> str:
    value = value.strip()
    value = re.sub(rf"^{_OPEN}+\s*|\s*{_CLOSE}+$", "", value)
    return value.strip(" \t:：·-—_|｜,，。")


# A credit at the end of a paragraph: "…效应。 (作者:邓聪)", "（记者 王美莹）", "（钟才文）" is handled
# by the caller because a bare name needs context.
_TRAILING_CREDIT = re.compile(
    rf"\s*{_OPEN}\s*(?P<label>{'|'.join(map(re.escape, AUTHOR_LABELS + EDITOR_LABELS))})"
    rf"(?P<sep>{_COLON}|\s+|)(?P<value>[^()（）\[\]【】]{{1,40}}?)\s*{_CLOSE}\s*$"
)
# Only 记者 runs straight into the name ("（记者刘艺、杨吉）"); "（编辑部供图）" is no credit.
_GLUED_LABELS = ("记者", "本报记者", "特约记者")

# A line that is only an editor credit: "[ 责编:肖春芳 ]", "【责任编辑：王五】", "责任编辑：王五"
_EDITOR_LINE = re.compile(
    rf"^\s*{_OPEN}?\s*(?:{'|'.join(map(re.escape, EDITOR_LABELS))}){_COLON}"
    rf"(?P<value>[^()（）\[\]【】]{{1,40}}?)\s*{_CLOSE}?\s*$"
)


def take_trailing_credit(paragraph: str) -> tuple[str, str | None, str | None]:
    """Split '… (作者:邓聪)' into ('…', author, editor); returns the paragraph unchanged if none."""
    match = _TRAILING_CREDIT.search(paragraph)
    if not match or (not match.group("sep") and match.group("label") not in _GLUED_LABELS):
        rest, credit = trailing_credit(paragraph)  # '（总台央视记者 X Y）', '（文/图 X Y）'
        return rest, credit.author, credit.editor
    names = clean_names(match.group("value"))
    rest = paragraph[: match.start()].rstrip()
    if match.group("label") in EDITOR_LABELS:
        return rest, None, names
    return rest, names, None


def editor_line(line: str) -> str | None:
    """The editor's name when the whole line is an editor credit, else None."""
    match = _EDITOR_LINE.match(line)
    return clean_names(match.group("value")) if match else None
