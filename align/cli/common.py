"""What the command groups share: the --tm option, range-checked option types, opening the memory,
printing scores."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from align.errors import InputError


def add_tm_option(parser) -> None:
    from align.store.memory import DEFAULT_TM

    parser.add_argument("--tm", type=Path, default=DEFAULT_TM, help=f"memory file (default {DEFAULT_TM})")


def at_least_one(text: str) -> int:
    """An argparse type: a whole number ≥ 1 (for --limit, --min-count)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def fraction(text: str) -> float:
    """An argparse type: a number from 0 to 1 (for confidences and thresholds)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0 or math.isnan(value):
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {text}")
    return value


def method_names() -> list[str]:
    from align.aligners import ALIGNERS

    return list(ALIGNERS)


def open_memory(path: Path, must_exist: bool = True, readonly: bool = False):
    """The memory at `path`; `readonly` for commands that only read it (nothing is written to the file)."""
    from align.store.memory import Memory

    if (must_exist or readonly) and not path.exists():
        raise InputError(f"{path}: no translation memory here yet; run `python -m align run` or `tm import` first")
    return Memory(path, readonly=readonly)


def scores_line(scores) -> str:
    auc = f"{scores.auc:.3f}" if scores.auc is not None else "n/a"
    return (f"strict P/R/F1 {scores.strict_precision:.3f}/{scores.strict_recall:.3f}/{scores.strict_f1:.3f}   "
            f"lax P/R/F1 {scores.lax_precision:.3f}/{scores.lax_recall:.3f}/{scores.lax_f1:.3f}   AUC {auc}")
