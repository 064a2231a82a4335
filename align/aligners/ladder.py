"""The Vecalign/Bertalign ladder format: one bead a line, `[0,1]:[0]` or `[0,1]:[0]:0.87`."""

from __future__ import annotations

import re
from pathlib import Path

from align.document import Bead
from align.errors import InputError

_LINE = re.compile(r"^\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\](?:\s*:\s*([0-9.eE+-]+))?\s*$")


def _ids(field: str) -> tuple[int, ...]:
    return tuple(int(x) for x in field.replace(" ", "").split(",") if x)


def parse_ladder(text: str, source: str = "<text>") -> list[Bead]:
    beads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.strip())
        if not match:
            raise InputError(f"{source}:{number}: not a ladder line: {line.strip()!r} "
                             "(expected e.g. [0,1]:[0] or [0]:[0]:0.93)")
        confidence = float(match.group(3)) if match.group(3) else 1.0
        beads.append(Bead(_ids(match.group(1)), _ids(match.group(2)), confidence))
    return beads


def read_ladder(path: Path) -> list[Bead]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such alignment file")
    return parse_ladder(path.read_text(encoding="utf-8"), str(path))


def format_ladder(beads: list[Bead], with_confidence: bool = True) -> str:
    lines = []
    for bead in beads:
        line = f"[{','.join(map(str, bead.src))}]:[{','.join(map(str, bead.tgt))}]"
        if with_confidence:
            line += f":{bead.confidence:.4f}"
        lines.append(line)
    return "\n".join(lines) + "\n"
