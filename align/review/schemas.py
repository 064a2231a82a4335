"""The JSON the API answers with, built from the store's dataclasses (names as in the CLI's --json)."""

from __future__ import annotations

from align.store.alignments import AlignmentStore, StoredAlignment, summarize
from align.store.edits import AUTO, StoredBead

FILTERS = {
    "all": lambda b, t: True,
    "under_threshold": lambda b, t: b.paired and b.status == AUTO and b.confidence < t,
    "unpaired": lambda b, t: not b.paired,
    "not_1_1": lambda b, t: b.kind != "1-1",
    "unconfirmed": lambda b, t: b.status != "confirmed",
    "edited": lambda b, t: b.status == "edited",
}
ORDERS = ("position", "confidence")


def sentence_json(stored: StoredAlignment, side: str, index: int) -> dict:
    s = stored.alignment.sentences(side)[index]
    return {"id": index, "text": s.text, "speaker": s.speaker, "turn": s.turn, "paragraph": s.paragraph, "line": s.line}


def _turn(stored: StoredAlignment, bead: StoredBead) -> tuple[int, int] | None:
    alignment = stored.alignment
    zh = alignment.zh[bead.zh[0]].turn if bead.zh else None
    en = alignment.en[bead.en[0]].turn if bead.en else None
    return zh, en


def bead_json(stored: StoredAlignment, index: int) -> dict:
    beads = stored.alignment.beads
    bead = beads[index]
    turn_break = index == 0 or any(
        now is not None and before is not None and now != before
        for now, before in zip(_turn(stored, bead), _turn(stored, beads[index - 1])))
    return {
        "index": index, "zh": [sentence_json(stored, "zh", i) for i in bead.zh],
        "en": [sentence_json(stored, "en", j) for j in bead.en],
        "confidence": round(bead.confidence, 4), "status": bead.status, "changed": bead.changed,
        "kind": bead.kind, "paired": bead.paired, "turn_break": turn_break,
    }


def document_json(store: AlignmentStore, stored: StoredAlignment, threshold: float, *, filter: str = "all",
                  order: str = "position", offset: int = 0, limit: int | None = None) -> dict:
    """One document's beads, filtered, ordered and paged, with its summary and undo/redo state."""
    keep = FILTERS[filter]
    chosen = [k for k, b in enumerate(stored.alignment.beads) if keep(b, threshold)]
    if order == "confidence":
        chosen.sort(key=lambda k: (stored.alignment.beads[k].status != AUTO, stored.alignment.beads[k].confidence, k))
    page = chosen[offset: None if limit is None else offset + limit]
    return {
        **state_json(store, stored, threshold), "threshold": threshold, "filter": filter, "order": order,
        "total": len(chosen), "offset": offset, "limit": limit,
        "beads": [bead_json(stored, k) for k in page],
    }


def state_json(store: AlignmentStore, stored: StoredAlignment, threshold: float, message: str | None = None) -> dict:
    """What every change answers: the new version, counts and whether undo/redo are possible."""
    answer = {"stem": stored.stem, "version": stored.version, "summary": summarize(stored, threshold).as_dict(),
              "can_undo": store.can_undo(stored.stem), "can_redo": store.can_redo(stored.stem)}
    if message is not None:
        answer["message"] = message
    return answer
