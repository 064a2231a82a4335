"""Quantities in a segment — numbers, percentages, ordinals and dates — read the same way in English and
Chinese, so that two segments can be checked for stating the same ones.

`quantities(text, lang)` returns every quantity with its value and where it is. Values are exact
(`Decimal`), so the forms of one quantity compare equal:

- Chinese multipliers and numerals: 1.2万 = 12,000 = 12 thousand; 3.5亿 = 350 million; 二十三 = 23;
  三点五 = 3.5; 两 = 2 (when a measure word follows: 两国, 两次);
- percentages: 百分之五 = 5% = 5 percent = 5 per cent (kind "percent");
- ordinals: 第十六次 = 第16届 = 16th = sixteenth (kind "ordinal");
- dates: 二〇二二年十月三十一日 = 2022年10月31日 = October 31, 2022 = 31 October 2022 (kind "date", value
  as (year, month, day), a part left out as 0); a year alone (2022年, in 2022) is the number 2022;
- full-width digits and signs (２０２２, ％, ．) read as half-width ones; a thousands comma (12,000,
  12，000) is no decimal point.

A Chinese numeral character alone is a number only where it counts something (a measure word follows:
两国, 三次, 一个) — 一带一路, 统一, 一些 and 十分 hold no quantity. English number words count
("twenty years", "two countries"); `Quantity.words` tells a quantity written in words, which the
QA treats as softer (`align.store.qa`). This module is the only place quantities are parsed: QA and
fuzzy-match placeables use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

_FULL_WIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUMERAL = "〇零一二两三四五六七八九十百千万亿"
# what may follow a lone numeral character for it to count something (measure words and counted nouns)
_MEASURE = set("个次年岁天名位项家国岸届方种条件份批轮周倍成人架艘座所部层场段篇句只台辆吨元号代期点")
_DIGITS = r"\d{1,3}(?:[,，]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_NUM = rf"(?:{_DIGITS}|[{_ZH_NUMERAL}]+(?:点[〇零一二三四五六七八九]+)?)"
_ZH_PATTERN = re.compile(
    rf"(?P<date>(?:(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年)?(?:(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月)"
    rf"(?:(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[日号])?)"
    rf"|(?P<year>(?:\d{{4}}|[〇零一二三四五六七八九]{{4}}))年"
    rf"|(?P<percent>百分之(?P<pv>{_ZH_NUM})|(?P<pd>{_DIGITS})\s*%|(?P<pp>{_ZH_NUM})个百分点)"
    rf"|(?P<ordinal>第(?P<ov>{_ZH_NUM}))"
    rf"|(?P<scaled>(?P<sv>{_DIGITS})\s*(?P<scale>万亿|亿|万|千)(?![米克瓦]))"
    rf"|(?P<number>{_ZH_NUM})")

_EN_UNITS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                        "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_EN_ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split(), 1)}
_EN_ORDINALS.update({w: 10 * n for n, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 2)})
_MONTHS = {m: n for n, m in enumerate("january february march april may june july august september october november "
                                      "december".split(), 1)}
_MONTHS.update({m[:3]: n for m, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WORDS = "|".join(sorted([*_EN_UNITS, *_EN_TENS, *_EN_SCALES], key=len, reverse=True))
_ORDINAL_WORDS = "|".join(sorted(_EN_ORDINALS, key=len, reverse=True))
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Every match starts with a word character (a digit or a letter of the words above); the lookahead says so
# where re can test it at once, which halves the time of a search through a sentence
_EN_PATTERN = re.compile(
    rf"(?=\w)(?:\b(?P<date>(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}}))\b"
    rf"|(?P<ordinal>(?P<od>\d+)(?:st|nd|rd|th)\b|\b(?:(?P<ot>{'|'.join(_EN_TENS)})-)?(?P<ow>{_ORDINAL_WORDS})\b)"
    rf"|(?P<amount>(?:(?P<digits>{_DIGITS})|\b(?P<words>(?:{_WORDS})(?:(?:\s+and\s+|[\s-]+)(?:{_WORDS}))*)\b)"
    rf"(?:\s+(?P<scale>{'|'.join(_EN_SCALES)})\b)?(?P<pct>\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b))?))",
    re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One quantity in a text: its kind ('number', 'percent', 'ordinal' or 'date'), its value (a Decimal;
    a date's is (year, month, day) with 0 for a part left out), where it is and whether it is written in
    words (二十, twenty) rather than digits."""

    kind: str
    value: Decimal | tuple[int, int, int]
    start: int
    end: int
    text: str
    words: bool = False

    def as_dict(self) -> dict:
        value = "-".join(f"{part:02d}" if part else "?" for part in self.value) if self.kind == "date" else _plain(self.value)
        return {"kind": self.kind, "value": value, "text": self.text, "start": self.start, "end": self.end,
                "words": self.words}


def _plain(value: Decimal) -> str:
    """12000, not 1.2E+4; 3.5 as it is."""
    return format(value.normalize(), "f")


def _digits(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def zh_numeral(text: str) -> Decimal:
    """The value of a Chinese numeral (二十三 → 23, 三万五千 → 35000, 二〇二二 → 2022, 三点五 → 3.5) or of
    Arabic digits."""
    if re.fullmatch(_DIGITS, text):
        return _digits(text)
    whole, _, fraction = text.partition("点")
    if not any(ch in _ZH_SMALL or ch in _ZH_BIG for ch in whole):  # read digit by digit: 二〇二二
        value = Decimal("".join(str(_ZH_DIGITS[ch]) for ch in whole) or "0")
    else:
        total, section, number = 0, 0, 0
        for ch in whole:
            if ch in _ZH_DIGITS:
                number = _ZH_DIGITS[ch]
            elif ch in _ZH_SMALL:
                section += (number or 1) * _ZH_SMALL[ch]
                number = 0
            else:
                if section + number == 0:
                    total *= _ZH_BIG[ch]
                else:
                    total += (section + number) * _ZH_BIG[ch]
                section = number = 0
        value = Decimal(total + section + number)
    if fraction:
        value += Decimal("0." + "".join(str(_ZH_DIGITS[ch]) for ch in fraction))
    return value


def _is_count(text: str, run: str, end: int) -> bool:
    """Whether a run of numeral characters is a number here (see the module docstring)."""
    if re.fullmatch(_DIGITS, run):
        return True
    if run[0] in "万亿千百" or not any(ch in _ZH_DIGITS for ch in run) and run != "十":
        return False  # 万一, 千万, 百万 (alone) are words
    follows = text[end:end + 1]
    if run == "十" and follows == "分":
        return False  # 十分 "very"
    if len(run) > 1 and any(ch in _ZH_SMALL or ch in _ZH_BIG for ch in run) or len(run) >= 2 and "点" in run:
        return True
    return follows in _MEASURE


def _zh_quantities(text: str) -> list[Quantity]:
    found = []
    for m in _ZH_PATTERN.finditer(text):
        words = not re.search(r"\d", m.group())
        if m.group("date"):
            parts = [m.group(k) for k in ("y", "m", "d")]
            value = tuple(int(zh_numeral(p)) if p else 0 for p in parts)
            if not 1 <= value[1] <= 12 or value[2] > 31:
                continue
            if not parts[0] and not parts[2]:
                continue  # a month alone (十月) is too vague to check
            found.append(Quantity("date", value, m.start(), m.end(), m.group(), words))
        elif m.group("year"):
            found.append(Quantity("number", zh_numeral(m.group("year")), m.start(), m.start("year") + 4, m.group("year"), words))
        elif m.group("percent"):
            raw = m.group("pv") or m.group("pd") or m.group("pp")
            found.append(Quantity("percent", zh_numeral(raw), m.start(), m.end(), m.group(), words))
        elif m.group("ordinal"):
            found.append(Quantity("ordinal", zh_numeral(m.group("ov")), m.start(), m.end(), m.group(), words))
        elif m.group("scaled"):
            scale = {"万亿": 10 ** 12, "亿": 10 ** 8, "万": 10 ** 4, "千": 1000}[m.group("scale")]
            found.append(Quantity("number", _digits(m.group("sv")) * scale, m.start(), m.end(), m.group(), False))
        elif _is_count(text, m.group("number"), m.end()):
            found.append(Quantity("number", zh_numeral(m.group("number")), m.start(), m.end(), m.group(), words))
    return found


def en_number_words(text: str) -> Decimal:
    """The value of English number words ("twenty-three", "one hundred and five", "two thousand")."""
    total, current = 0, 0
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
    return Decimal(total + current)


def _en_quantities(text: str) -> list[Quantity]:
    found = []
    for m in _EN_PATTERN.finditer(text):
        if m.group("date"):
            month = _MONTHS[(m.group("m1") or m.group("m2") or m.group("m3")).lower()]
            day = int(m.group("d1") or m.group("d2") or 0)
            year = int(m.group("y1") or m.group("y2") or m.group("y3") or 0)
            if 1 <= day <= 31 or not day and year:
                found.append(Quantity("date", (year, month, day), m.start(), m.end(), m.group()))
        elif m.group("ordinal"):
            value = int(m.group("od")) if m.group("od") else _EN_ORDINALS[m.group("ow").lower()] + (
                _EN_TENS[m.group("ot").lower()] if m.group("ot") else 0)
            found.append(Quantity("ordinal", Decimal(value), m.start(), m.end(), m.group(), not m.group("od")))
        else:
            words = m.group("words")
            if words and words.lower() in _EN_SCALES:
                continue  # "hundreds", "thousand" alone: no count
            value = _digits(m.group("digits")) if m.group("digits") else en_number_words(words)
            if m.group("scale"):
                value *= _EN_SCALES[m.group("scale").lower()]
            kind = "percent" if m.group("pct") else "number"
            found.append(Quantity(kind, value, m.start(), m.end(), m.group().strip(), bool(words)))
    return found


# English text without a digit or one of these words holds no quantity: most sentences skip the long pattern
_EN_TRIGGERS = frozenset([*_EN_UNITS, *_EN_TENS, *_EN_SCALES, *_EN_ORDINALS])
_ZH_TRIGGERS = frozenset(_ZH_NUMERAL + "0123456789")


# Room for both sides of a large document (the Bible set: 11,301 sentences), so that re-aligning it reads each
# sentence's quantities once: at 8,192 entries a least-recently-used cache read in order missed on every sentence.
CACHED_TEXTS = 65_536


@lru_cache(maxsize=CACHED_TEXTS)
def _cached(text: str, lang: str) -> tuple[Quantity, ...]:
    flat = text.translate(_FULL_WIDTH)  # one character for one: the spans stay those of `text`
    if lang == "zh" and _ZH_TRIGGERS.isdisjoint(flat):
        return ()
    if lang != "zh" and not re.search(r"\d", flat) and _EN_TRIGGERS.isdisjoint(re.findall(r"[a-z]+", flat.lower())):
        return ()
    found = _zh_quantities(flat) if lang == "zh" else _en_quantities(flat)
    return tuple(Quantity(q.kind, q.value, q.start, q.end, text[q.start:q.end], q.words) for q in found)


def quantities(text: str, lang: str) -> list[Quantity]:
    """The quantities of `text` (English 'en' or Chinese 'zh'), in order."""
    return list(_cached(text, lang))


def forget_quantities() -> None:
    """Empty the cache of parsed texts (each timed run of a benchmark parses afresh, as a first alignment does)."""
    _cached.cache_clear()


def same(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities state the same thing: equal values (a percentage, an ordinal and a number
    of the same value agree: 第十六次 and "the 16 sessions"); dates with equal months and days and the
    same year where both give one."""
    if (a.kind == "date") != (b.kind == "date"):
        return False
    if a.kind == "date":
        return all(x == y or not x or not y for x, y in zip(a.value, b.value)) and a.value[1:] == b.value[1:]
    return a.value == b.value
