"""Number QA of the memory: the units whose English and Chinese do not state the same quantities.

Both sides are read by `align.score.quantities` and their quantities paired one for one (`same`: 1.2万
pairs with 12,000, 第十六次 with 16th, 2022年10月31日 with October 31, 2022; a year alone pairs with a
date of that year). What is left unpaired is a finding, with one softening: a small count written in
words (两国 for "both countries", 首次 "the first time" has no numeral at all, "no one") is left out
when the other side has nothing unpaired, since translations say these without a number. 80 against 70
is always a finding. Pure functions on the units; `tm qa` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from align.score.quantities import Quantity, quantities, same

SOFT_LIMIT = Decimal(10)  # counts up to ten written in words are soft (see the module docstring)


@dataclass(frozen=True)
class NumberCheck:
    """The quantities of one side that the other side lacks."""

    en_only: tuple[Quantity, ...]
    zh_only: tuple[Quantity, ...]

    @property
    def agrees(self) -> bool:
        return not self.en_only and not self.zh_only

    def as_dict(self) -> dict:
        return {"en_only": [q.as_dict() for q in self.en_only], "zh_only": [q.as_dict() for q in self.zh_only]}


def _pair(left: list[Quantity], right: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The quantities of each list that no quantity of the other states (one for one)."""
    left, right = list(left), list(right)
    unpaired = []
    for q in left:
        match = next((r for r in right if same(q, r)), None)
        if match is None:
            unpaired.append(q)
        else:
            right.remove(match)
    return unpaired, right


def _year_of_a_date(number: Quantity, others: list[Quantity]) -> bool:
    return number.kind == "number" and any(o.kind == "date" and o.value[0] == number.value for o in others)


def _soft(q: Quantity) -> bool:
    return q.words and q.kind in ("number", "ordinal") and q.value <= SOFT_LIMIT


def check_numbers(en: str, zh: str) -> NumberCheck:
    """The quantities of `en` that `zh` lacks and the reverse, softened as the module docstring says."""
    en_q, zh_q = quantities(en, "en"), quantities(zh, "zh")
    en_only, zh_only = _pair(en_q, zh_q)
    en_only = [q for q in en_only if not _year_of_a_date(q, zh_q)]
    zh_only = [q for q in zh_only if not _year_of_a_date(q, en_q)]
    if not zh_only:
        en_only = [q for q in en_only if not _soft(q)]
    if not en_only:
        zh_only = [q for q in zh_only if not _soft(q)]
    return NumberCheck(tuple(en_only), tuple(zh_only))


@dataclass(frozen=True)
class NumberFinding:
    """A unit whose numbers disagree."""

    id: int
    document: str
    en: str
    zh: str
    check: NumberCheck

    def as_dict(self) -> dict:
        return {"id": self.id, "document": self.document, "en": self.en, "zh": self.zh, **self.check.as_dict()}


def number_findings(units: Iterable) -> list[NumberFinding]:
    """The units (anything with id, document, en and zh) whose numbers disagree, in the order given."""
    found = []
    for unit in units:
        check = check_numbers(unit.en, unit.zh)
        if not check.agrees:
            found.append(NumberFinding(unit.id, unit.document, unit.en, unit.zh, check))
    return found
