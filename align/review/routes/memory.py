"""`/api/search` and `/api/lookup`: concordance and term lookup over the memory, as `tm search` and `lookup`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from align.review.deps import store
from align.store.alignments import AlignmentStore
from align.terms.lookup import lookup as lookup_term

router = APIRouter(prefix="/api", tags=["memory"])


@router.get("/search")
def search(q: str, limit: int = Query(20, ge=1, le=500), db: AlignmentStore = Depends(store)) -> dict:
    """Units whose English or Chinese contains `q`, tightest match first."""
    units = db.memory.search(q, limit)
    return {"query": q, "units": [{"id": u.id, "en": u.en, "zh": u.zh, "document": u.document, "speaker": u.speaker,
                                   "aligner": u.aligner, "confidence": u.confidence} for u in units]}


@router.get("/lookup")
def lookup(term: str, limit: int = Query(5, ge=1, le=100), db: AlignmentStore = Depends(store)) -> dict:
    """Renderings of a term in the other language, found inside the memory's units."""
    return {"term": term, "renderings": [r.as_dict() for r in lookup_term(db.memory, term, limit)]}
