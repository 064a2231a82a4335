"""`/api/import` and `/api/jobs`: align an uploaded pair in the background and report on it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from align.errors import InputError, NotFoundError
from align.pipeline import DocumentPair, pair_stem
from align.review.deps import store
from align.review.jobs import check_new_name
from align.store.alignments import AlignmentStore

router = APIRouter(prefix="/api", tags=["jobs"])

MAX_UPLOAD = 20 * 1024 * 1024
MAX_NAME = 255            # bytes in a file name (ext4, APFS, NTFS)
MAX_BODY = 2 * MAX_UPLOAD + 64 * 1024   # two transcripts and the form around them, refused as it streams in


def _file_name(name: str, what: str) -> str:
    """`name` when it can be a file name here; InputError naming `what` otherwise."""
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise InputError(f"{what} has no usable name; give a file name that does not start with a dot")
    if len(name.encode("utf-8")) > MAX_NAME:
        raise InputError(f"{what}: the name is {len(name.encode('utf-8'))} bytes long, more than the {MAX_NAME} "
                         "a file name may have; rename it shorter")
    return name


def _uploaded_name(upload: UploadFile, side: str) -> str:
    return _file_name((upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1], f"the {side} file")


def _save(upload: UploadFile, folder: Path, side: str, name: str | None) -> Path:
    """Write an uploaded transcript under `folder/<side>/`, as `<name>.<side><suffix>` when `name` is given."""
    original = _uploaded_name(upload, side)
    if name is not None:
        original = _file_name(f"{name}.{side}{Path(original).suffix}", f"the name {name!r}")
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"{original}: larger than {MAX_UPLOAD // 2**20} MB; align it with `python -m align run` instead")
    if not data.strip():
        raise InputError(f"{original}: the file is empty; give a transcript with text in it")
    path = folder / side / original
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@router.post("/import")
def import_pair(request: Request, en: UploadFile = File(...), zh: UploadFile = File(...),
                method: str | None = Form(None), name: str | None = Form(None), replace: bool = Form(False),
                db: AlignmentStore = Depends(store)) -> dict:
    """Save an uploaded English/Chinese pair beside the memory and align it as `run` does. A document of
    the same name is never replaced silently: 409 unless `replace`; or import it under another `name`."""
    from align.aligners import ALIGNERS

    if method is not None and method not in ALIGNERS:
        raise InputError(f"unknown alignment method {method!r}; choose one of: {', '.join(ALIGNERS)}")
    stem = name if name is not None else pair_stem(Path(_uploaded_name(en, "en")), "en")
    if not replace:
        check_new_name(db, stem)
    jobs = request.app.state.jobs
    (jobs.memory.parent / "imports").mkdir(parents=True, exist_ok=True)
    # a folder of its own: a second upload of the same name never overwrites the files of one still waiting
    folder = Path(tempfile.mkdtemp(prefix=f"{stem}.", dir=jobs.memory.parent / "imports"))
    try:
        en_path, zh_path = _save(en, folder, "en", name), _save(zh, folder, "zh", name)
    except InputError:
        shutil.rmtree(folder)
        raise
    return {"job": jobs.start_import(DocumentPair(stem, en_path, zh_path), method, replace_existing=replace).id}


@router.get("/jobs/{job_id}")
def job_state(job_id: int, request: Request) -> dict:
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"there is no job {job_id}")
    return job.as_dict()
