"""Number auto-localisation of a fuzzy match (what memoQ and Trados do with numeric placeables): when a
stored sentence differs from the query only in its quantities, the query's quantities are put into the
stored translation, each in the form the translation writes it.

Pure functions on strings, no I/O. `adapt(query, source, target, lang)` returns the adapted translation,
or None when there is nothing to adapt or it cannot be done safely:

- the query and the stored source must be the same sentence once every quantity of
  `align.score.quantities` is one stand-in (punctuation, case and the Chinese script aside), with the
  same number of quantities of the same kinds;
- every quantity that changed must be found in the translation, read as the same value by
  `align.score.quantities` and exactly as often as in the source (so each one has its place); dates are
  not adapted;
- the new value is written in the style of the one it replaces: Chinese characters where the translation
  writes characters (五万四千四百, 第三, 百分之五, 二〇二二 digit by digit), digits where it writes digits
  (keeping a thousands comma, full-width digits, a 万 or million scale), English words where it writes
  words ("fifty and four thousand and four hundred" with the stored text's "and"s, "fifty-four
  thousand" without them, "two and thirty" where it puts the units first, "fourth"), and the result must
  read back as the new value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from align.ingest.language import to_simplified
from align.score.quantities import _DIGITS, _WORDS, _ZH_NUMERAL, Quantity, quantities, same

_ZH_CHAR = "零一二三四五六七八九"
_ZH_UNITS = ("千", "百", "十", "")
_ZH_SCALE = {"万": 10 ** 4, "亿": 10 ** 8, "千": 1000}
_EN_SCALE = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9, "trillion": 10 ** 12}
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
            "twelve": "twelfth"}
_UNITS_FIRST = re.compile(rf"\b(?:{'|'.join(_ONES[1:10])})\s+and\s+(?:{'|'.join(_TENS[2:])})\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+|\d+|[\u3400-\u9fff]")
_ZH_RUN = re.compile(rf"{_DIGITS}|[{_ZH_NUMERAL}]+(?:点[〇零一二三四五六七八九]+)?")
_EN_RUN = re.compile(rf"{_DIGITS}|\b(?:{_WORDS})(?:(?:\s+and\s+|[\s-]+)(?:{_WORDS}))*\b", re.IGNORECASE)


def _frame(text: str, found: list[Quantity]) -> list[str]:
    """The words of `text` (Chinese characters one by one) with each quantity one stand-in, lower-cased,
    without punctuation."""
    parts, position = [], 0
    for q in found:
        parts += _WORD.findall(text[position:q.start].lower())
        parts.append("\x00")
        position = q.end
    return parts + _WORD.findall(text[position:].lower())


def adapt(query: str, source: str, target: str, lang: str) -> str | None:
    """`target` (the stored translation of `source`) with the quantities in which `query` differs from
    `source` replaced by the query's, in the translation's style; None when the two differ in more than
    quantities, nothing changed, or a changed quantity cannot be placed (rules in the module docstring)."""
    if lang == "zh":
        query, source = to_simplified(query), to_simplified(source)
    asked, stored = quantities(query, lang), quantities(source, lang)
    if len(asked) != len(stored) or any(a.kind != s.kind for a, s in zip(asked, stored)):
        return None
    if _frame(query, asked) != _frame(source, stored):
        return None
    changed = [(a, s) for a, s in zip(asked, stored) if not same(a, s)]
    if not changed or any(a.kind == "date" for a, _ in changed):
        return None
    other = "en" if lang == "zh" else "zh"
    present = quantities(target, other)
    replacements: dict[int, tuple[Quantity, Decimal]] = {}
    for value in {s.value for _, s in changed}:
        in_source = [(a, s) for a, s in zip(asked, stored) if s.value == value]
        in_target = [t for t in present if same(t, in_source[0][1]) and t.kind != "date"]
        if len(in_target) != len(in_source):
            return None  # not found, or not one place for each
        for (a, _), t in zip(in_source, in_target):
            replacements[t.start] = (t, a.value)
    adapted, position, expected = [], 0, set()
    for start in sorted(replacements):
        t, value = replacements[start]
        written = _render(t, value, other)
        if written is None:
            return None
        expected.add((len("".join(adapted)) + t.start - position, t.kind, value))  # where it lands
        adapted += [target[position:t.start], written]
        position = t.end
    result = "".join(adapted) + target[position:]
    read = quantities(result, other)  # the new numbers read back where they were put, nothing else moved
    placed = {(q.start, q.kind, q.value) for q in read}
    return result if len(read) == len(present) and expected <= placed else None


def _render(old: Quantity, value: Decimal, lang: str) -> str | None:
    """`old.text` with its number replaced by `value`, written as `old` writes its number."""
    text = old.text
    skip = 3 if text.startswith("百分之") else 0
    match = (_ZH_RUN if lang == "zh" else _EN_RUN).search(text, skip)
    if lang == "en" and old.kind == "ordinal" and old.words:
        match = re.match(r".+", text)  # "twenty-first": the whole ordinal is words
    if match is None:
        return None
    run, after = match.group(), text[match.end():].lstrip()
    if re.fullmatch(_DIGITS, run.translate(_HALF)):
        scale = (_ZH_SCALE if lang == "zh" else _EN_SCALE).get(
            next((w for w in (_ZH_SCALE if lang == "zh" else _EN_SCALE) if after.lower().startswith(w)), ""), 1)
        written = _digits(value / scale, grouped=bool(re.search("[,，]", run)), full=run != run.translate(_HALF))
        if lang == "en" and old.kind == "ordinal":
            written += _suffix(int(value))
    elif value != value.to_integral_value() or value < 0:
        return None
    elif lang == "zh":
        written = _zh_digit_by_digit(int(value)) if not re.search("[十百千万亿]", run) and len(run) > 1 \
            else _zh_number(int(value))
    else:
        words = _en_words(int(value), joined=" and " in run.lower(), units_first=bool(_UNITS_FIRST.search(run)))
        if old.kind == "ordinal":
            words = _en_ordinal(words)
        written = words.capitalize() if run[:1].isupper() else words
    return text[:match.start()] + written + text[match.end():]


_HALF = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def _digits(value: Decimal, *, grouped: bool, full: bool) -> str:
    plain = format(value.normalize(), ",f" if grouped else "f")
    return plain.translate(_FULL) if full else plain


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _zh_group(n: int) -> str:
    """1–9999 in Chinese characters, a 零 for skipped places inside (一千零五)."""
    out, zero, started = "", False, False
    for digit, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), _ZH_UNITS):
        if digit == 0:
            zero = zero or started
            continue
        out += ("零" if zero else "") + _ZH_CHAR[digit] + unit
        zero, started = False, True
    return out


def _zh_number(n: int) -> str:
    """A whole number in Chinese characters as written in running text: 五万四千四百, 十二, 一百一十, 一千零五."""
    if n == 0:
        return "零"
    out, higher = "", False
    for scale, name in ((10 ** 8, "亿"), (10 ** 4, "万"), (1, "")):
        group = n // scale % 10 ** 4 if scale < 10 ** 8 else n // scale
        if group:
            out += ("零" if higher and group < 1000 and not out.endswith("零") else "") + (
                _zh_number(group) if group >= 10 ** 4 else _zh_group(group)) + name
            higher = True
        elif higher and n % scale:
            out += "" if out.endswith("零") else "零"
    out = out.rstrip("零")
    return out[1:] if out.startswith("一十") else out


def _zh_digit_by_digit(n: int) -> str:
    """二〇二二: a year written digit by digit."""
    return "".join("〇" if d == "0" else _ZH_CHAR[int(d)] for d in str(n))


def _en_words(n: int, *, joined: bool, units_first: bool = False) -> str:
    """A whole number in English words: "fifty-four thousand four hundred", or with `joined`
    "fifty and four thousand and four hundred" (the Authorised Version's way), with `units_first` too
    "four and fifty thousand and four hundred" (its other way)."""
    def small(k: int) -> list[str]:  # 1–999
        parts = []
        if k >= 100:
            parts.append(f"{_ONES[k // 100]} hundred")
            k %= 100
        if k >= 20:
            parts.append((f"{_ONES[k % 10]} and {_TENS[k // 10]}" if units_first else f"{_TENS[k // 10]} and {_ONES[k % 10]}")
                         if joined and k % 10 else
                         _TENS[k // 10] + (f"-{_ONES[k % 10]}" if k % 10 else ""))
        elif k:
            parts.append(_ONES[k])
        return parts

    if n == 0:
        return "zero"
    groups = []
    for scale, name in ((10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million"), (10 ** 3, "thousand"), (1, "")):
        k = n // scale % 1000
        if k:
            words = small(k)
            if name:
                words[-1] += f" {name}"
            groups += words
    return (" and " if joined else " ").join(groups)


def _en_ordinal(words: str) -> str:
    """The ordinal of number words: "four" → "fourth", "twenty-one" → "twenty-first", "twenty" → "twentieth"."""
    head, last = re.match(r"(.*?)([a-z]+)$", words).groups()
    if last in _ORDINAL:
        return head + _ORDINAL[last]
    return head + (last[:-1] + "ieth" if last.endswith("y") else last + "th")
