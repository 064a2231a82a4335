"""The JSON the API answers with, built from the store's dataclasses (names as in the CLI's --json)."""

from __future__ import annotations

from functools import lru_cache

from align.store.alignments import AlignmentStore, StoredAlignment, summarize, unit_confidence, unit_ids
from align.store.edits import StoredBead, unpaired_runs
from align.store.qa import check_numbers

FILTERS = {
    "all": lambda b, t: True,
    "under_threshold": lambda b, t: b.paired and not b.human and b.confidence < t,
    "unpaired": lambda b, t: not b.paired,
    "not_1_1": lambda b, t: b.kind != "1-1",
    "unconfirmed": lambda b, t: b.status != "confirmed",
    "edited": lambda b, t: b.status == "edited",
    "changed": lambda b, t: b.status == "changed",
    "noted": lambda b, t: bool(b.note),
}
ORDERS = ("position", "confidence")


def sentence_json(stored: StoredAlignment, side: str, index: int) -> dict:
    s = stored.alignment.sentences(side)[index]
    return {"id": index, "text": s.text, "speaker": s.speaker, "turn": s.turn, "paragraph": s.paragraph, "line": s.line,
            "edited_from": list(s.origin) if s.origin and s.part == 0 else None}


def _turn(stored: StoredAlignment, bead: StoredBead) -> tuple[int, int] | None:
    alignment = stored.alignment
    zh = alignment.zh[bead.zh[0]].turn if bead.zh else None
    en = alignment.en[bead.en[0]].turn if bead.en else None
    return zh, en


def runs_json(stored: StoredAlignment) -> dict[int, dict]:
    """Each run of consecutive unpaired sentences of one side, keyed by its first bead: one item to
    review ("Chinese lines 41–47 have no English counterpart"), with the neighbouring run of the other
    side that a block pairing would join it with."""
    alignment = stored.alignment
    runs = unpaired_runs(alignment)
    answer = {}
    for n, run in enumerate(runs):
        lines = [alignment.sentences(run.side)[i].line for i in run.sentences]
        partner = next((r for r in (runs[n - 1] if n else None, runs[n + 1] if n + 1 < len(runs) else None)
                        if r is not None and r.side != run.side and (r.last == run.first - 1 or r.first == run.last + 1)),
                       None)
        answer[run.first] = {"side": run.side, "first_bead": run.first, "last_bead": run.last,
                             "sentences": len(run.sentences), "first_line": min(lines), "last_line": max(lines),
                             "pair_with": None if partner is None else {"side": partner.side, "first_bead": partner.first,
                                                                        "last_bead": partner.last}}
    return answer


@lru_cache(maxsize=65_536)
def numbers_finding(en: str, zh: str) -> str | None:
    """One line when a unit's two sides do not state the same quantities (`align.store.qa`, as `tm qa` and
    the review file check them): "Chinese 70 ≠ English 80", "English 80, not in the Chinese"; None when
    they agree. Kept per pair of texts: re-reading them was 70% of serving a whole document."""
    check = check_numbers(en, zh)
    zh_only, en_only = (", ".join(q.text for q in side) for side in (check.zh_only, check.en_only))
    if zh_only and en_only:
        return f"Chinese {zh_only} ≠ English {en_only}"
    if zh_only:
        return f"Chinese {zh_only}, not in the English"
    return f"English {en_only}, not in the Chinese" if en_only else None


def bead_json(stored: StoredAlignment, index: int, runs: dict[int, dict] | None = None) -> dict:
    beads = stored.alignment.beads
    bead = beads[index]
    turn_break = index == 0 or any(
        now is not None and before is not None and now != before
        for now, before in zip(_turn(stored, bead), _turn(stored, beads[index - 1])))
    return {
        "index": index, "zh": [sentence_json(stored, "zh", i) for i in bead.zh],
        "en": [sentence_json(stored, "en", j) for j in bead.en],
        "confidence": round(bead.confidence, 4), "unit_confidence": round(unit_confidence(bead), 4),
        "status": bead.status, "changed": bead.changed, "note": bead.note,
        "kind": bead.kind, "paired": bead.paired, "turn_break": turn_break,
        "run": (runs or {}).get(index),
        "numbers": numbers_finding(stored.alignment.text(bead, "en"), stored.alignment.text(bead, "zh"))
                   if bead.paired else None,
    }


def _finds(stored: StoredAlignment, query: str):
    """A test for beads whose Chinese or English text (or note) contains `query`, ignoring case."""
    needle = query.casefold()
    alignment = stored.alignment
    return lambda b: any(needle in text.casefold() for text in (alignment.text(b, "zh"), alignment.text(b, "en"), b.note))


def document_json(store: AlignmentStore, stored: StoredAlignment, threshold: float, *, filter: str = "all",
                  order: str = "position", offset: int = 0, limit: int | None = None, q: str = "") -> dict:
    """One document's beads, filtered (and with `q`, only those whose text contains it), ordered and
    paged, with its summary, undo/redo state and what the last run could not keep."""
    keep = FILTERS[filter]
    found = _finds(stored, q.strip()) if q.strip() else lambda b: True
    chosen = [k for k, b in enumerate(stored.alignment.beads) if keep(b, threshold) and found(b)]
    if order == "confidence":
        chosen.sort(key=lambda k: (stored.alignment.beads[k].human, stored.alignment.beads[k].confidence, k))
    page = chosen[offset: None if limit is None else offset + limit]
    runs = runs_json(stored)
    return {
        **state_json(store, stored, threshold), "threshold": threshold, "filter": filter, "order": order, "q": q,
        "total": len(chosen), "offset": offset, "limit": limit, "not_kept": list(stored.not_kept),
        "beads": [bead_json(stored, k, runs) for k in page],
    }


def map_json(stored: StoredAlignment, threshold: float) -> dict:
    """The whole document in a few numbers per bead, for the overview map: each bead's first sentence
    and size on each side, the confidence a unit carries and the status; and the speaker turns."""
    alignment = stored.alignment
    beads = [[b.zh[0] if b.zh else None, len(b.zh), b.en[0] if b.en else None, len(b.en),
              round(unit_confidence(b), 3), b.status] for b in alignment.beads]
    return {"stem": stored.stem, "version": stored.version, "threshold": threshold,
            "zh_sentences": len(alignment.zh), "en_sentences": len(alignment.en),
            "fields": ["zh", "zh_size", "en", "en_size", "confidence", "status"], "beads": beads}


def state_json(store: AlignmentStore, stored: StoredAlignment, threshold: float, message: str | None = None) -> dict:
    """What every change answers: the new version, counts and whether undo/redo are possible."""
    answer = {"stem": stored.stem, "version": stored.version, "summary": summarize(stored, threshold).as_dict(),
              "can_undo": store.can_undo(stored.stem), "can_redo": store.can_redo(stored.stem)}
    if message is not None:
        answer["message"] = message
    return answer
