"""Whether the cut `terms extract` makes travels: leave one press row of `bench terms` out (docs/memory.md, the
tenth to twelfth terms passes).

For each in-sample press row (press, press-held, press-fresh to press-fresh5) the memory is built and aligned as
`bench terms` builds it, every pair is extracted (`extract_glossary(min_evidence=None)`) with its evidence
(`align.terms.evidence`), and judged as `bench terms` judges it. Then, for each setting of the cut (an evidence
threshold from THRESHOLDS, the 《…》 title-piece rule on or off, the word-beside rule on or off), and for each press row
held out in turn, the setting is chosen on the other six rows pooled and measured on the held row: that figure is what
the choice gives on text it never saw. Two ways of choosing: the highest pooled precision (ties to the setting listed
first), and, as a terminologist trades a little precision for a longer list, the setting keeping the most judged
pairs among those within SLACK of the highest precision. Printed: precision (judged pairs) of every row under each
setting, then the leave-one-row-out choices and figures, pooled.
Usage: python scripts/terms_loo.py [../shared/data]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from align.bench.terms import zh_key, judgings, row_sources
from align.store.memory import Memory
from align.terms.evidence import evidence
from align.terms.extract import extract_glossary

PRESS = ("press", "press-held", "press-fresh", "press-fresh2", "press-fresh3", "press-fresh4", "press-fresh5")
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5)
SLACK = 0.01


def judged_pairs(data: Path, rows=PRESS) -> dict[str, list[tuple[float, bool, bool, bool]]]:
    """Each row → (evidence score, title piece, a word always beside the term, right) of every judged pair it extracts
    with no cut."""
    sources, judging = row_sources(data / "bible"), judgings()
    found = {}
    for name in rows:
        with tempfile.TemporaryDirectory() as tmp, Memory(Path(tmp) / f"{name}.sqlite") as memory:
            memory.add(sources[name](), name)
            found[name] = []
            for entry in extract_glossary(memory, limit=1000, min_evidence=None):
                pair = (entry.english.lower(), zh_key(entry.chinese))
                if judging[name].judged(pair):
                    ev = evidence(memory, entry.english, entry.chinese)
                    found[name].append((ev.score, ev.title_piece, ev.beside is not None, pair in judging[name].listed))
    return found


def kept(pairs, setting) -> tuple[int, int]:
    """(right, judged) of the pairs a setting (threshold, title rule on, word-beside rule on) keeps."""
    threshold, titles, besides = setting
    held = [right for score, piece, bound, right in pairs
            if score >= threshold and not (titles and piece) and not (besides and bound)]
    return sum(held), len(held)


def pooled_without(cells: dict[str, tuple[int, int]], held: str) -> tuple[float, int]:
    """(precision, judged pairs) of one setting's (right, judged) per row, pooled over every row but `held`."""
    r, n = map(sum, zip(*(cell for name, cell in cells.items() if name != held)))
    return r / max(1, n), n


def main(data: Path) -> None:
    found = judged_pairs(data)
    settings = [(t, titles, besides) for besides in (False, True) for titles in (False, True) for t in THRESHOLDS]
    cells = {setting: {name: kept(found[name], setting) for name in PRESS} for setting in settings}
    print("threshold titles beside " + " ".join(f"{name:>14}" for name in PRESS))
    for setting in settings:
        print(f"{setting[0]:9} {'on ' if setting[1] else 'off'}    {'on ' if setting[2] else 'off'}    "
              + " ".join(f"{r / max(1, n):.3f} ({n:3d})".rjust(14) for r, n in cells[setting].values()))
    for slack in (0.0, SLACK):
        for label, choices in (("threshold, titles on, beside off", [s for s in settings if s[1] and not s[2]]),
                               ("threshold, titles on, beside on", [s for s in settings if s[1] and s[2]]),
                               ("threshold and both switches", settings),
                               ("0.9, titles on, beside switch", [s for s in settings if s[0] == 0.9 and s[1]])):
            right = judged = 0
            line = []
            for held in PRESS:
                pooled = {s: pooled_without(cells[s], held) for s in choices}
                top = max(precision for precision, _ in pooled.values())
                near = [s for s in choices if pooled[s][0] >= top - slack]
                best = max(near, key=lambda s: pooled[s][1]) if slack else near[0]
                r, n = cells[best][held]
                right, judged = right + r, judged + n
                line.append(f"{held} {best[0]}/{'on' if best[1] else 'off'}/{'on' if best[2] else 'off'} "
                            f"{r / max(1, n):.3f} ({n})")
            print(f"leave one row out (slack {slack}), {label}: " + "; ".join(line)
                  + f"; pooled {right / max(1, judged):.3f} ({judged})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
