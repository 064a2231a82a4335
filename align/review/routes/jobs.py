"""`/api/import` and `/api/jobs`: align an uploaded pair in the background and report on it."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile

from align.errors import InputError, NotFoundError
from align.pipeline import DocumentPair, pair_stem

router = APIRouter(prefix="/api", tags=["jobs"])

MAX_UPLOAD = 20 * 1024 * 1024


def _save(upload: UploadFile, folder, side: str):
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not name or name.startswith("."):
        raise InputError(f"the {side} file has no usable name")
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"{name}: larger than {MAX_UPLOAD // 2**20} MB; align it with `python -m align run` instead")
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a transcript with text in it")
    path = folder / side / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@router.post("/import")
def import_pair(request: Request, en: UploadFile = File(...), zh: UploadFile = File(...),
                method: str | None = Form(None)) -> dict:
    """Save an uploaded English/Chinese pair beside the memory and align it as `run` does."""
    from align.aligners import ALIGNERS

    if method is not None and method not in ALIGNERS:
        raise InputError(f"unknown alignment method {method!r}; choose one of: {', '.join(ALIGNERS)}")
    jobs = request.app.state.jobs
    folder = jobs.memory.parent / "imports"
    en_path, zh_path = _save(en, folder, "en"), _save(zh, folder, "zh")
    pair = DocumentPair(pair_stem(en_path, "en"), en_path, zh_path)
    return {"job": jobs.start_import(pair, method).id}


@router.get("/jobs/{job_id}")
def job_state(job_id: int, request: Request) -> dict:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"there is no job {job_id}")
    return job.as_dict()
