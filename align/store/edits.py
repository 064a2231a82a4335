"""A stored alignment as editable data, and the edits a reviewer makes to it.

An `Alignment` is the two documents' sentences and the beads that pair them. Every edit is a small
frozen dataclass whose `apply(alignment, now)` returns a new `Alignment` or raises `InputError`
saying why the edit is impossible; nothing here touches a file or a database. The bead a person acts
on gets the status `edited`; `confirm` gives `confirmed`; beads the aligner made are `auto`. A
neighbour that an edit changed as a side effect (a sentence moved into it) gets `changed`: it is not
reviewed, so it is exported with its own confidence and left out of a confirmed-only export.

A text edit remembers, on each sentence it wrote, the sentences it replaced as read from the file
(`Sentence.origin`), so that a later run on changed files can make the same edit again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from align.document import Sentence
from align.errors import InputError

AUTO, EDITED, CONFIRMED, CHANGED = "auto", "edited", "confirmed", "changed"
SIDES = ("zh", "en")


@dataclass(frozen=True)
class StoredBead:
    """Sentence ids of each side (positions in the document), the aligner's confidence and the status."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    confidence: float
    status: str = AUTO
    changed: str | None = None   # when a person last changed or confirmed it (ISO 8601, UTC)
    note: str = ""               # the translator's note on the unit (TMX <note>)

    @property
    def paired(self) -> bool:
        return bool(self.zh) and bool(self.en)

    @property
    def human(self) -> bool:
        """A person edited or confirmed this bead (a `changed` neighbour was not reviewed)."""
        return self.status in (EDITED, CONFIRMED)

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def side(self, side: str) -> tuple[int, ...]:
        return self.zh if side == "zh" else self.en


@dataclass(frozen=True)
class Alignment:
    zh: tuple[Sentence, ...]
    en: tuple[Sentence, ...]
    beads: tuple[StoredBead, ...]

    def sentences(self, side: str) -> tuple[Sentence, ...]:
        return self.zh if side == "zh" else self.en

    def text(self, bead: StoredBead, side: str) -> str:
        joiner = "" if side == "zh" else " "
        return joiner.join(self.sentences(side)[i].text for i in bead.side(side))


def _side(side: str) -> str:
    if side not in SIDES:
        raise InputError(f"side must be 'zh' or 'en', not {side!r}")
    return side


def _bead(alignment: Alignment, index: int) -> StoredBead:
    if not 0 <= index < len(alignment.beads):
        raise InputError(f"there is no bead {index}; the document has beads 0 to {len(alignment.beads) - 1}")
    return alignment.beads[index]


def _with(alignment: Alignment, start: int, stop: int, new: list[StoredBead]) -> Alignment:
    beads = alignment.beads
    return replace(alignment, beads=beads[:start] + tuple(new) + beads[stop:])


def _edited(zh: tuple[int, ...], en: tuple[int, ...], confidence: float, now: str, note: str = "") -> StoredBead:
    return StoredBead(tuple(zh), tuple(en), confidence, EDITED, now, note)


def _notes(*beads: StoredBead) -> str:
    return "\n".join(dict.fromkeys(b.note for b in beads if b.note))


def _unpaired(zh: tuple[int, ...], en: tuple[int, ...], now: str) -> list[StoredBead]:
    """One 1-0 bead per Chinese sentence, then one 0-1 bead per English sentence."""
    return [_edited((i,), (), 0.0, now) for i in zh] + [_edited((), (j,), 0.0, now) for j in en]


class Edit:
    """An operation on an alignment; `op` is its name in the JSON API."""

    op: ClassVar[str]

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Merge(Edit):
    bead: int
    op: ClassVar[str] = "merge"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        first = _bead(alignment, self.bead)
        if self.bead + 1 >= len(alignment.beads):
            raise InputError(f"bead {self.bead} is the last one; there is no next bead to merge it with")
        second = alignment.beads[self.bead + 1]
        merged = _edited(first.zh + second.zh, first.en + second.en, min(first.confidence, second.confidence), now,
                         _notes(first, second))
        return _with(alignment, self.bead, self.bead + 2, [merged])

    def describe(self) -> str:
        return f"merged beads {self.bead} and {self.bead + 1}"


@dataclass(frozen=True)
class Split(Edit):
    """The first part keeps the first `zh` Chinese and the first `en` English sentences."""

    bead: int
    zh: int
    en: int
    op: ClassVar[str] = "split"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        bead = _bead(alignment, self.bead)
        if len(bead.zh) <= 1 and len(bead.en) <= 1:
            raise InputError(f"bead {self.bead} has one sentence a side and cannot be split; use unpair instead")
        if not (0 <= self.zh <= len(bead.zh) and 0 <= self.en <= len(bead.en)):
            raise InputError(f"bead {self.bead} has {len(bead.zh)} Chinese and {len(bead.en)} English sentence(s); "
                             f"cannot keep {self.zh} and {self.en} in its first part")
        first = (bead.zh[:self.zh], bead.en[:self.en])
        second = (bead.zh[self.zh:], bead.en[self.en:])
        if not any(first) or not any(second):
            raise InputError(f"splitting bead {self.bead} there leaves one part empty; choose a point inside it")
        parts = [_edited(*first, bead.confidence, now, bead.note), _edited(*second, bead.confidence, now)]
        return _with(alignment, self.bead, self.bead + 1, parts)

    def describe(self) -> str:
        return f"split bead {self.bead}"


@dataclass(frozen=True)
class Shift(Edit):
    """Move the first sentence of one side to the previous bead (up) or the last one to the next (down)."""

    bead: int
    side: str
    direction: str
    across_turn: bool = False   # a move into another speaker's turn is refused unless this says it is meant
    op: ClassVar[str] = "shift"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        side = _side(self.side)
        if self.direction not in ("up", "down"):
            raise InputError(f"direction must be 'up' or 'down', not {self.direction!r}")
        bead = _bead(alignment, self.bead)
        ids = bead.side(side)
        if not ids:
            raise InputError(f"bead {self.bead} has no {'Chinese' if side == 'zh' else 'English'} sentence to move")
        up = self.direction == "up"
        other_index = self.bead - 1 if up else self.bead + 1
        if not 0 <= other_index < len(alignment.beads):
            raise InputError(f"bead {self.bead} has no {'previous' if up else 'next'} bead to move a sentence to")
        other = alignment.beads[other_index]
        moved, kept = (ids[0], ids[1:]) if up else (ids[-1], ids[:-1])
        turns = {alignment.sentences(side)[i].turn for i in other.side(side)}
        if turns and alignment.sentences(side)[moved].turn not in turns and not self.across_turn:
            raise InputError(f"moving that sentence into bead {other_index} crosses a speaker turn; "
                             "send across_turn: true if that is meant")
        receiving = other.side(side) + (moved,) if up else (moved,) + other.side(side)
        new_other = replace(other, zh=receiving, status=CHANGED, changed=now) if side == "zh" else \
            replace(other, en=receiving, status=CHANGED, changed=now)
        new_bead = _edited(*((kept, bead.en) if side == "zh" else (bead.zh, kept)), bead.confidence, now, bead.note)
        pair = [new_other, new_bead] if up else [new_bead, new_other]
        pair = [b for b in pair if b.zh or b.en]
        start = min(self.bead, other_index)
        return _with(alignment, start, start + 2, pair)

    def describe(self) -> str:
        return f"moved a {'Chinese' if self.side == 'zh' else 'English'} sentence of bead {self.bead} {self.direction}"


@dataclass(frozen=True)
class Unpair(Edit):
    bead: int
    op: ClassVar[str] = "unpair"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        bead = _bead(alignment, self.bead)
        if not bead.paired:
            raise InputError(f"bead {self.bead} is already unpaired")
        return _with(alignment, self.bead, self.bead + 1, _unpaired(bead.zh, bead.en, now))

    def describe(self) -> str:
        return f"unpaired bead {self.bead}"


@dataclass(frozen=True)
class Pair(Edit):
    """Pair an unpaired bead with the unpaired bead after it, or (with `through`) a whole block of
    unpaired beads up to bead `through`; together they must have both sides."""

    bead: int
    through: int = -1     # the last bead of the block; -1: the next bead
    op: ClassVar[str] = "pair"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        _bead(alignment, self.bead)
        last = self.bead + 1 if self.through < 0 else self.through
        if last >= len(alignment.beads):
            raise InputError(f"bead {self.bead} is the last one; there is no next bead to pair it with"
                             if self.through < 0 else f"there is no bead {last}; the document has beads 0 to "
                             f"{len(alignment.beads) - 1}")
        if last <= self.bead:
            raise InputError(f"a block to pair ends after its first bead; {last} is not after {self.bead}")
        block = alignment.beads[self.bead:last + 1]
        if any(b.paired for b in block):
            raise InputError(f"beads {self.bead} to {last} are not all unpaired; use merge instead"
                             if len(block) > 2 else f"beads {self.bead} and {last} are not both unpaired; use merge instead")
        zh, en = sum((b.zh for b in block), ()), sum((b.en for b in block), ())
        if not zh or not en:
            raise InputError(f"beads {self.bead} {'and' if len(block) == 2 else 'to'} {last} are "
                             f"{'both' if len(block) == 2 else 'all'} {'Chinese' if zh else 'English'}; "
                             "pair a Chinese sentence with an English one")
        return _with(alignment, self.bead, last + 1, [_edited(zh, en, 0.0, now, _notes(*block))])

    def describe(self) -> str:
        last = self.bead + 1 if self.through < 0 else self.through
        return f"paired beads {self.bead} and {last}" if last == self.bead + 1 else f"paired beads {self.bead} to {last}"


def _group(sentences: tuple[Sentence, ...], start: int, stop: int) -> tuple[int, int]:
    """The sentences [start, stop) widened to whole earlier text edits (a split sentence's lines)."""
    while start > 0 and sentences[start].part > 0:
        start -= 1
    while stop < len(sentences) and sentences[stop].part > 0:
        stop += 1
    return start, stop


def _rewritten(sentences: tuple[Sentence, ...], lo: int, hi: int, start: int, stop: int,
               lines: list[str]) -> tuple[Sentence, ...]:
    """Sentences [lo, hi) with [start, stop) replaced by `lines`, each carrying the file's sentences the
    whole run replaces (no origin when the text is back to the file's)."""
    source: list[str] = []
    for s in sentences[lo:hi]:
        if not s.origin:
            source.append(s.text)
        elif s.part == 0:
            source.extend(s.origin)
    template = sentences[start]
    new = [*sentences[lo:start], *(replace(template, text=line) for line in lines), *sentences[stop:hi]]
    origin = () if [s.text for s in new] == source else tuple(source)
    return tuple(replace(s, origin=origin, part=k if origin else 0) for k, s in enumerate(new))


@dataclass(frozen=True)
class EditText(Edit):
    """Replace consecutive sentences of one bead by `text`; each line of it becomes one sentence, so a
    line break splits a sentence and one line for two sentences joins them."""

    side: str
    sentences: tuple[int, ...]
    text: str
    op: ClassVar[str] = "edit_text"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        side = _side(self.side)
        ids = tuple(self.sentences)
        existing = alignment.sentences(side)
        if not ids:
            raise InputError("name the sentence(s) to edit")
        if any(not 0 <= i < len(existing) for i in ids):
            raise InputError(f"there is no {side} sentence {max(ids)}; the document has {len(existing)}")
        if list(ids) != list(range(ids[0], ids[0] + len(ids))):
            raise InputError("the sentences to edit must follow one another")
        lines = [line.strip() for line in self.text.replace("\r\n", "\n").split("\n") if line.strip()]
        if not lines:
            raise InputError("the new text is empty; to remove a sentence from a unit, unpair it instead")
        index = next((k for k, b in enumerate(alignment.beads) if ids[0] in b.side(side)), None)
        bead = alignment.beads[index]
        if not set(ids) <= set(bead.side(side)):
            raise InputError("the sentences to edit are in different beads; merge the beads first")
        start, stop = ids[0], ids[-1] + 1
        delta = len(lines) - len(ids)
        lo, hi = _group(existing, start, stop)
        rewritten = _rewritten(existing, lo, hi, start, stop, lines)
        sentences = existing[:lo] + rewritten + existing[hi:]

        def renumber(old: tuple[int, ...]) -> tuple[int, ...]:
            out: list[int] = []
            for i in old:
                if i < start:
                    out.append(i)
                elif i >= stop:
                    out.append(i + delta)
                elif i == start:
                    out.extend(range(start, start + len(lines)))
            return tuple(out)

        beads = []
        for k, b in enumerate(alignment.beads):
            moved = renumber(b.side(side))
            b = replace(b, zh=moved) if side == "zh" else replace(b, en=moved)
            beads.append(replace(b, status=EDITED, changed=now) if k == index else b)
        return replace(alignment, beads=tuple(beads), **{side: sentences})

    def describe(self) -> str:
        return f"edited {'Chinese' if self.side == 'zh' else 'English'} sentence {self.sentences[0]}"


@dataclass(frozen=True)
class Confirm(Edit):
    bead: int
    op: ClassVar[str] = "confirm"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        bead = _bead(alignment, self.bead)
        if not bead.paired:
            raise InputError(f"bead {self.bead} is unpaired; pair it before confirming it")
        return _with(alignment, self.bead, self.bead + 1, [replace(bead, status=CONFIRMED, changed=now)])

    def describe(self) -> str:
        return f"confirmed bead {self.bead}"


@dataclass(frozen=True)
class Unconfirm(Edit):
    bead: int
    op: ClassVar[str] = "unconfirm"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        bead = _bead(alignment, self.bead)
        if bead.status != CONFIRMED:
            raise InputError(f"bead {self.bead} is not confirmed")
        return _with(alignment, self.bead, self.bead + 1, [replace(bead, status=EDITED, changed=now)])

    def describe(self) -> str:
        return f"took back the confirmation of bead {self.bead}"


@dataclass(frozen=True)
class Run:
    """Consecutive unpaired beads with sentences on one side only: beads `first` to `last`."""

    side: str
    first: int
    last: int
    sentences: tuple[int, ...]


def unpaired_runs(alignment: Alignment, *, automatic_only: bool = False) -> list[Run]:
    """Every run of consecutive unpaired beads of one side, in document order (with `automatic_only`,
    the beads a person deliberately left unpaired neither count nor join two runs)."""
    runs: list[Run] = []
    for k, bead in enumerate(alignment.beads):
        if bead.paired or (automatic_only and bead.human) or not (bead.zh or bead.en):
            continue
        side = "zh" if bead.zh else "en"
        if runs and runs[-1].side == side and runs[-1].last == k - 1:
            runs[-1] = replace(runs[-1], last=k, sentences=runs[-1].sentences + bead.side(side))
        else:
            runs.append(Run(side, k, k, bead.side(side)))
    return runs


def confirmable(alignment: Alignment, threshold: float) -> list[int]:
    """Indexes of the paired beads nobody reviewed (automatic or changed) at or above `threshold`."""
    return [k for k, b in enumerate(alignment.beads) if not b.human and b.paired and b.confidence >= threshold]


@dataclass(frozen=True)
class ConfirmAbove(Edit):
    threshold: float
    op: ClassVar[str] = "confirm_above"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        if not 0.0 <= self.threshold <= 1.0:
            raise InputError(f"the threshold must be between 0 and 1, not {self.threshold}")
        chosen = set(confirmable(alignment, self.threshold))
        if not chosen:
            raise InputError(f"no unconfirmed unit has a confidence of {self.threshold:.2f} or more")
        beads = tuple(replace(b, status=CONFIRMED, changed=now) if k in chosen else b
                      for k, b in enumerate(alignment.beads))
        return replace(alignment, beads=beads)

    def describe(self) -> str:
        return f"confirmed every unit at or above {self.threshold:.2f}"


@dataclass(frozen=True)
class Note(Edit):
    """Write the translator's note on a bead (an empty text removes it); the bead's status is unchanged."""

    bead: int
    text: str
    op: ClassVar[str] = "note"

    def apply(self, alignment: Alignment, now: str) -> Alignment:
        bead = _bead(alignment, self.bead)
        return _with(alignment, self.bead, self.bead + 1, [replace(bead, note=self.text.strip())])

    def describe(self) -> str:
        return f"{'wrote a note on' if self.text.strip() else 'removed the note of'} bead {self.bead}"


EDITS: dict[str, type[Edit]] = {cls.op: cls for cls in
                                (Merge, Split, Shift, Unpair, Pair, EditText, Confirm, Unconfirm, ConfirmAbove, Note)}


def parse_edit(data: dict) -> Edit:
    """The edit a JSON object describes (`{"op": "merge", "bead": 4}`); InputError when it is malformed."""
    from dataclasses import MISSING, fields

    op = data.get("op")
    if op not in EDITS:
        raise InputError(f"unknown operation {op!r}; use one of: {', '.join([*EDITS, 'realign'])}")
    cls = EDITS[op]
    values = {}
    for f in fields(cls):
        if f.name not in data:
            if f.default is not MISSING:
                continue
            raise InputError(f"{op} needs the field {f.name!r}")
        value = data[f.name]
        expected = {"int": int, "float": (int, float), "str": str, "bool": bool, "tuple[int, ...]": list}[str(f.type)]
        if (isinstance(value, bool) and expected is not bool) or not isinstance(value, expected):
            raise InputError(f"{op}: {f.name!r} has the wrong type ({type(value).__name__})")
        if f.name == "sentences":
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
                raise InputError(f"{op}: 'sentences' must be a list of sentence ids")
            value = tuple(value)
        values[f.name] = value
    return cls(**values)
