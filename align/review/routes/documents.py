"""`/api/documents`: stored alignments, their beads, edits, undo/redo, TMX, XLIFF and the review sheet."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

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


PAGE = 200   # beads a document request answers unless it asks for another `limit` (the page's own page size)


# Answers kept per document while it is the same stored alignment (any change, here or by another process, makes
# another): many readers of one large document get the same bytes without building its JSON again.
ANSWERS_KEPT = 32


@router.get("/{stem}", response_class=JSONResponse)
def get_document(request: Request, stem: str, filter: Literal[tuple(FILTERS)] = "all",
                 order: Literal["position", "confidence"] = "position", offset: int = Query(0, ge=0),
                 limit: int = Query(PAGE, ge=1), q: str = "",
                 db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> Response:
    """A document's beads with both sides' text, filtered (`q`: only beads whose text or note contains
    it), ordered and paged (`limit` beads, 200 unless asked). The JSON is made here, in the worker
    thread, not in the server's one event-loop thread, and kept for the next reader of the same version."""
    stored = db.get(stem)
    kept = request.app.state.answers.get(stem)
    if kept is None or kept[0] is not stored:
        kept = (stored, {})
        request.app.state.answers[stem] = kept
    key = (config.threshold, filter, order, offset, limit, q)
    body = kept[1].get(key)
    if body is None:
        body = JSONResponse(document_json(db, stored, config.threshold, filter=filter, order=order, offset=offset,
                                          limit=limit, q=q)).body
        if len(kept[1]) >= ANSWERS_KEPT:
            kept[1].clear()
        kept[1][key] = body
    return Response(body, media_type="application/json")


@router.get("/{stem}/map", response_class=JSONResponse)
def document_map(stem: str, db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> JSONResponse:
    """Every bead of the document in a few numbers, for the overview map."""
    return JSONResponse(map_json(db.get(stem), config.threshold))


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
    return Response(data, media_type="application/x-tmx+xml", headers={"Content-Disposition": attachment(f"{stem}.tmx")})


def attachment(filename: str) -> str:
    """A Content-Disposition header for `filename` in any script: an ASCII stand-in for old clients and
    the exact name as RFC 6266/5987 `filename*` (a header must be Latin-1, so the name cannot go in raw)."""
    fallback = re.sub(r'[^\x20-\x7e]|["\\%]', "_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get("/{stem}/xliff")
def export_xliff(stem: str, db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> Response:
    """The XLIFF 1.2 of the document (the same as `python -m align export STEM -o STEM.xlf`)."""
    from align.export.xliff import xliff_bytes

    return Response(xliff_bytes(db.get(stem), config.threshold), media_type="application/xliff+xml",
                    headers={"Content-Disposition": attachment(f"{stem}.xlf")})


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{stem}/xlsx")
def export_xlsx(stem: str, db: AlignmentStore = Depends(store), config: Settings = Depends(settings)) -> Response:
    """The review sheet of the document (the same as `python -m align export STEM -o STEM.xlsx`)."""
    from align.export.xlsx import xlsx_bytes

    return Response(xlsx_bytes(db.get(stem), config.threshold), media_type=_XLSX,
                    headers={"Content-Disposition": attachment(f"{stem}.xlsx")})


@router.post("/{stem}/xlsx")
def import_xlsx(stem: str, sheet: UploadFile = File(...), db: AlignmentStore = Depends(store)) -> dict:
    """Apply a reviewed sheet (as `review import`): 409 with the conflicting rows when nothing was applied."""
    from align.errors import ConflictError
    from align.export.xlsx import review_import

    report = review_import(db, sheet.filename or f"{stem}.xlsx", sheet.file.read(), stem=stem)
    if not report.applied:
        error = ConflictError if report.conflicts else InputError
        raise error("; ".join(report.conflicts + report.problems) + "; nothing was applied")
    return report.as_dict()
