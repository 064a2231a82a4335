"""`/api/documents`: stored alignments, their beads, edits, undo/redo and TMX."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response

from align.errors import InputError
from align.export.tmx import TmxHeader, tmx_bytes
from align.review.deps import Settings, settings, store
from align.review.schemas import FILTERS, document_json, map_json, state_json
from align.store.alignments import AlignmentStore, summarize, tmx_units
from align.store.edits import Alignment, confirmable, parse_edit

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("")
def list_documents(db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> dict:
    """Every stored alignment with its counts."""
    return {"documents": [summarize(db.get(stem), config.threshold).as_dict() for stem in db.stems()],
            "threshold": config.threshold}


@router.get("/{stem}")
def get_document(stem: str, filter: Literal[tuple(FILTERS)] = "all", order: Literal["position", "confidence"] = "position",
                 offset: int = Query(0, ge=0), limit: int | None = Query(None, ge=1), q: str = "",
                 db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> dict:
    """A document's beads with both sides' text, filtered (`q`: only beads whose text contains it),
    ordered and paged."""
    return document_json(db, db.get(stem), config.threshold, filter=filter, order=order, offset=offset, limit=limit,
                         q=q)


@router.get("/{stem}/map")
def document_map(stem: str, db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> dict:
    """Every bead of the document in a few numbers, for the overview map."""
    return map_json(db.get(stem), config.threshold)


def _second_opinion(method: str):
    """The stored alignment's own aligner scoring the pairings an edit makes (loaded once per process)."""
    def score(alignment: Alignment, wanted: list[int]) -> dict[int, float]:
        from align.aligners.rescore import rescore
        from align.batch import aligner_for

        return rescore(aligner_for(method), [s.text for s in alignment.zh], [s.text for s in alignment.en],
                       [(b.zh, b.en) for b in alignment.beads], wanted)

    return score


def _version(body: dict) -> int:
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError("say which version of the document the change was made against: {\"version\": N, …}")
    return version


@router.post("/{stem}/edits")
def edit_document(stem: str, request: Request, body: dict = Body(...), db: AlignmentStore = Depends(store),
                  config: Settings = Depends(settings)) -> dict:
    """Apply one operation made against `version`: 409 when the document has changed since."""
    version = _version(body)
    if body.get("op") == "realign":
        stored = db.at_version(stem, version)
        job = request.app.state.jobs.start_realign(stem, version)
        return {**state_json(db, stored, config.threshold, "re-aligning in the background"), "job": job.id}
    edit = parse_edit(body)
    stored = db.apply(stem, edit, version, rescore=_second_opinion(db.get(stem).method))
    return {**state_json(db, stored, config.threshold, edit.describe()), "job": None}


@router.post("/{stem}/undo")
def undo(stem: str, body: dict = Body(...), db: AlignmentStore = Depends(store),
         config: Settings = Depends(settings)) -> dict:
    stored, description = db.undo(stem, _version(body))
    return {**state_json(db, stored, config.threshold, f"undone: {description}"), "job": None}


@router.post("/{stem}/redo")
def redo(stem: str, body: dict = Body(...), db: AlignmentStore = Depends(store),
         config: Settings = Depends(settings)) -> dict:
    stored, description = db.redo(stem, _version(body))
    return {**state_json(db, stored, config.threshold, f"redone: {description}"), "job": None}


@router.get("/{stem}/confirm-preview")
def confirm_preview(stem: str, threshold: float = Query(..., ge=0.0, le=1.0),
                    db: AlignmentStore = Depends(store)) -> dict:
    """How many units `confirm_above` would confirm, and how many errors the calibration predicts among them."""
    alignment = db.get(stem).alignment
    chosen = confirmable(alignment, threshold)
    beads = alignment.beads
    return {"threshold": threshold, "beads": len(chosen),
            "expected_errors": round(sum(1.0 - beads[k].confidence for k in chosen), 2)}


@router.get("/{stem}/tmx")
def export_tmx(stem: str, confirmed_only: bool = False, min_confidence: float | None = Query(None, ge=0.0, le=1.0),
               db: AlignmentStore = Depends(store)) -> Response:
    """The TMX of the document as it stands (the same as `python -m align export STEM`)."""
    stored = db.get(stem)
    units = tmx_units(stored, confirmed_only=confirmed_only, min_confidence=min_confidence)
    data = tmx_bytes(units, TmxHeader(srclang=stored.en_lang, adminlang="en-US"), f"{stem}.tmx")
    return Response(data, media_type="application/x-tmx+xml",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.tmx"'})
