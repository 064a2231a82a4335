"""Output paths checked before any work: nothing a user types may write over an input or the memory.

Every command that writes files calls `check_outputs` first. Two paths are "the same file" when
they name one file after resolving links (`os.path.samefile` for files that exist, `Path.resolve`
for those that do not yet), not merely when the strings are equal.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from align.errors import InputError


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` name one file (links, `..` and relative forms resolved)."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return Path(a).resolve() == Path(b).resolve()


def _existing_ancestor(path: Path) -> Path:
    folder = Path(path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_writable(path: Path) -> None:
    """InputError unless `path` can be written as a file: not a folder, its folder (or the first
    existing ancestor, as missing folders are created) is a writable folder."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name, e.g. {path / 'out'}")
    folder = _existing_ancestor(path)
    if not folder.is_dir():
        raise InputError(f"{path}: {folder} is a file, not a folder; choose another output path")
    try:  # os.access says yes to root on read-only mounts and /proc; only a real file tells
        fd, probe = tempfile.mkstemp(prefix=".align-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"{path}: cannot write in {folder} ({exc.strerror or exc}); "
                         "choose a folder you can write to") from None


def check_outputs(inputs: Iterable[Path | None], outputs: Iterable[Path | None], memory: Path | None = None) -> None:
    """InputError when an output is an input, the memory or another output, or cannot be written.
    `None` entries are skipped, so optional paths can be passed as they are."""
    inputs = [Path(p) for p in inputs if p is not None]
    outputs = [Path(p) for p in outputs if p is not None]
    for number, out in enumerate(outputs):
        for source in inputs:
            if same_file(out, source):
                raise InputError(f"{out}: this output is also an input ({source}); writing it would destroy "
                                 "the input; give another output path")
        if memory is not None and same_file(out, memory):
            raise InputError(f"{out}: this output is the translation memory; writing it would destroy the "
                             "memory; give another output path")
        for other in outputs[:number]:
            if same_file(out, other):
                raise InputError(f"{out}: given for two outputs ({other} too); give each output its own path")
        check_writable(out)
    if memory is not None:
        for source in inputs:
            if same_file(memory, source):
                raise InputError(f"{memory}: the translation memory is also an input ({source}); "
                                 "give another --tm path")


def check_inputs(paths: Iterable[Path]) -> None:
    """InputError naming the first input that is not a readable file (so nothing is done by halves)."""
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: {'is a folder, not a file' if path.is_dir() else 'no such file'}")
        if not os.access(path, os.R_OK):
            raise InputError(f"{path}: cannot read the file (permission denied); check its permissions")
