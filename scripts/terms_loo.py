"""Whether the cut `terms extract` makes travels: leave one press row of `bench terms` out (docs/memory.md, the
tenth to seventeenth terms passes).

For each in-sample press row (press, press-held, press-fresh to press-fresh10; or the rows named after the data
folder) the memory is built and aligned as `bench terms` builds it, every pair is extracted
(`extract_glossary(min_confidence=None)`) with its evidence (`align.terms.evidence`), and judged as `bench terms` judges
it, once with each of the fifteenth pass's changes to the candidates on or off (`SWITCHES`: a name of several words
derived from its rendering's name is a modifier, `align.terms.extract._modifier`; off is the code before the pass, put
back for the run; the thirteenth pass's two switches, chosen on by the thirteenth and fourteenth runs, are on). Then,
for each setting (those switches; the cut, an evidence floor from THRESHOLDS as before the sixteenth pass or a
confidence from CONFIDENCES, evidence + the rendering's `lookup` score, as since; the 《…》 title-piece rule on or off, the
word-beside rule on or off, the noun-phrase rule of the fourteenth pass on or off: `Evidence.headless`, and inside it
the fifteenth pass's complex preposition on or off: `align.terms.heads.inside_preposition`; the seventeenth pass's
continued-name rule on or off: `Evidence.continued`), and for each press row held out in turn, the setting is chosen
on the other rows pooled and measured on the held row: that figure is what the choice gives on text it never saw. Three ways of choosing: the highest pooled precision (ties to the setting listed
first, switches off before on), and, as a terminologist trades a little precision for a longer list, the setting
keeping the most judged pairs among those within SLACK of the highest precision, and the highest precision among the
settings keeping at least KEEP of the judged pairs that the evidence floor of 0.9 keeps with every rule on but the
continued-name rule (the share a terminologist gives up for a cleaner list, fixed beforehand). Printed: precision
(judged pairs) of every row under each setting with the title, word-beside and noun-phrase rules on, then the
leave-one-row-out choices and figures, pooled.
Usage: python scripts/terms_loo.py [../shared/data [ROW ...]]
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack, contextmanager
from itertools import product
from pathlib import Path
from unittest import mock

from align.bench.terms import zh_key, judgings, row_sources
from align.store.memory import Memory
from align.terms.evidence import evidence
from align.terms.extract import _modifier, extract_glossary
from align.terms.heads import headless

PRESS = ("press", "press-held", "press-fresh", "press-fresh2", "press-fresh3", "press-fresh4", "press-fresh5",
         "press-fresh6", "press-fresh7", "press-fresh8", "press-fresh9", "press-fresh10")
THRESHOLDS = tuple(("evidence", t) for t in (0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5))
CONFIDENCES = tuple(("confidence", c) for c in (1.7, 1.75, 1.8, 1.825, 1.85, 1.875, 1.9, 1.925, 1.95, 2.0))
SLACK = 0.01
KEEP = 0.7


# the fifteenth pass's change to the candidates, put back to the code before it when off: a name of several words derived
# from its rendering's name (Latin American of 拉美) was no modifier, only a single word was
SWITCHES = {"modifiers": ("align.terms.extract._modifier",
                          lambda name, rendering, modifier=_modifier: " " not in name and modifier(name, rendering))}


@contextmanager
def switched(on: tuple[bool, ...]):
    """The extraction with each of SWITCHES on or off, in their order."""
    with ExitStack() as stack:
        for (target, before), flag in zip(SWITCHES.values(), on):
            if not flag:
                stack.enter_context(mock.patch(target, before))
        yield


def judged_pairs(data: Path, rows=PRESS) -> dict[str, dict[tuple[bool, ...], list[tuple]]]:
    """Each row → each setting of SWITCHES → (evidence score, the rendering's `lookup` score, title piece, a word
    always beside the term, no whole noun phrase anywhere without and with the complex preposition, a piece of a
    longer name in both languages, right) of every judged pair it extracts with no cut."""
    sources, judging = row_sources(data / "bible"), judgings()
    found = {}
    for name in rows:
        with tempfile.TemporaryDirectory() as tmp, Memory(Path(tmp) / f"{name}.sqlite") as memory:
            memory.add(sources[name](), name)
            found[name] = {}
            for on in product((False, True), repeat=len(SWITCHES)):
                with switched(on):
                    entries = extract_glossary(memory, limit=1000, min_confidence=None)
                found[name][on] = []
                for entry in entries:
                    pair = (entry.english.lower(), zh_key(entry.chinese))
                    if judging[name].judged(pair):
                        ev = evidence(memory, entry.english, entry.chinese)
                        with mock.patch("align.terms.heads.inside_preposition", lambda *args: False):
                            before = headless(entry.english, [u.en for u in memory.search(
                                entry.english, limit=2000, ranked=False)])
                        found[name][on].append((ev.score, entry.score, ev.title_piece, ev.beside is not None,
                                                (before, ev.headless), ev.continued, pair in judging[name].listed))
    return found


def kept(found, setting) -> tuple[int, int]:
    """(right, judged) of the pairs that a setting (switches, cut, title rule on, word-beside rule on, noun-phrase
    rule on, complex preposition on, continued-name rule on) keeps of one row's pairs under each setting of the
    switches (`found`)."""
    on, (kind, threshold), titles, besides, heads, prepositions, names = setting
    held = [right for score, fit, piece, bound, headless, piece_of_name, right in found[on]
            if (score if kind == "evidence" else score + fit) >= threshold and not (titles and piece)
            and not (besides and bound) and not (heads and headless[prepositions]) and not (names and piece_of_name)]
    return sum(held), len(held)


def _flags(setting) -> str:
    on, (kind, threshold), *cuts = setting
    return "/".join([*("on" if flag else "off" for flag in on), f"{kind} {threshold}",
                     *("on" if cut else "off" for cut in cuts)])


def pooled_without(cells: dict[str, tuple[int, int]], held: str) -> tuple[float, int]:
    """(precision, judged pairs) of one setting's (right, judged) per row, pooled over every row but `held`."""
    r, n = map(sum, zip(*(cell for name, cell in cells.items() if name != held)))
    return r / max(1, n), n


def main(data: Path, rows: tuple[str, ...] = PRESS) -> None:
    switches = list(product((False, True), repeat=len(SWITCHES)))
    found = judged_pairs(data, rows)
    settings = [(on, t, titles, besides, heads, prepositions, names) for on in switches for names in (False, True)
                for prepositions in (False, True) for heads in (False, True) for besides in (False, True)
                for titles in (False, True) for t in THRESHOLDS + CONFIDENCES]
    cells = {setting: {name: kept(found[name], setting) for name in rows} for setting in settings}
    print("setting (" + ", ".join(SWITCHES) + ", cut, titles, beside, heads, prepositions, names) "
          + " ".join(f"{n:>14}" for n in rows))
    for setting in (s for s in settings if all(s[2:5])):
        print(f"{_flags(setting):39}" + " ".join(f"{r / max(1, n):.3f} ({n:3d})".rjust(14)
                                                for r, n in cells[setting].values()))
    floor = {held: pooled_without(cells[(switches[-1], ("evidence", 0.9), True, True, True, True, False)], held)[1]
             for held in rows}  # the judged pairs every rule but the names' on with the evidence floor of 0.9 keeps
    for rule in ("precision", "slack", "keep"):
        for label, choices in (("every cut and switch", settings),
                               ("titles, beside, heads and prepositions on, switches on, the cut, names off",
                                [s for s in settings if all(s[0]) and all(s[2:6]) and not s[6]]),
                               ("titles, beside, heads and prepositions on, switches on, the cut, names on",
                                [s for s in settings if all(s[0]) and all(s[2:])]),
                               ("titles, beside, heads and prepositions on, switches on, the cut, names on or off",
                                [s for s in settings if all(s[0]) and all(s[2:6])]),
                               ("0.9, titles, beside and heads on, switches and prepositions on or off, names off",
                                [s for s in settings if s[1] == ("evidence", 0.9) and all(s[2:5]) and not s[6]])):
            right = judged = 0
            line = []
            for held in rows:
                pooled = {s: pooled_without(cells[s], held) for s in choices}
                if rule == "keep":
                    pooled = {s: p for s, p in pooled.items() if p[1] >= KEEP * floor[held]}
                top = max(precision for precision, _ in pooled.values())
                near = [s for s in pooled if pooled[s][0] >= top - (SLACK if rule == "slack" else 0)]
                best = max(near, key=lambda s: pooled[s][1]) if rule == "slack" else near[0]
                r, n = cells[best][held]
                right, judged = right + r, judged + n
                line.append(f"{held} {_flags(best)} {r / max(1, n):.3f} ({n})")
            print(f"leave one row out ({rule}), {label}: " + "; ".join(line)
                  + f"; pooled {right / max(1, judged):.3f} ({judged})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"), tuple(sys.argv[2:]) or PRESS)
