"""Request plumbing: the settings of one server, and the store opened and closed around each request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from fastapi import Request

from align.store.alignments import AlignmentStore
from align.store.memory import Memory


@dataclass(frozen=True)
class Settings:
    memory: Path
    threshold: float
    token: str | None
    busy_timeout: float = 5.0     # seconds a request waits for another program's write before 503
    readonly: bool = False        # the memory's folder is read-only: served for reading


def settings(request: Request) -> Settings:
    return request.app.state.settings


def store(request: Request) -> Iterator[AlignmentStore]:
    """One connection to the memory file per request (routes run in a thread pool); a read-only one for
    GET requests, which skips the schema checks a writer makes on opening."""
    config = request.app.state.settings
    readonly = config.readonly or request.method in ("GET", "HEAD")
    memory = Memory(config.memory, readonly=readonly, timeout=config.busy_timeout)
    try:
        yield AlignmentStore(memory, request.app.state.documents)
    finally:
        memory.close()
