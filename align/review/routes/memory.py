"""`/api/search`, `/api/lookup` and `/api/match`: concordance, term lookup and fuzzy matches over the
memory, as `tm search`, `lookup` and `tm match`."""

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


@router.get("/match")
def match(q: str, lang: str | None = Query(None, pattern="^(zh|en)$"), min_score: int = Query(70, ge=0, le=100),
          limit: int = Query(5, ge=1, le=50), db: AlignmentStore = Depends(store)) -> dict:
    """Fuzzy matches for a sentence (`lang` says which side it is; detected when left out), best first."""
    from align.match.search import fuzzy_matches

    matches = fuzzy_matches(db.memory, q, min_score=min_score, limit=limit, lang=lang)
    return {"query": q, "matches": [m.as_dict() for m in matches]}
