"""What the command groups share: the --tm option, opening the memory, printing scores."""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError


def add_tm_option(parser) -> None:
    from align.store.memory import DEFAULT_TM

    parser.add_argument("--tm", type=Path, default=DEFAULT_TM, help=f"memory file (default {DEFAULT_TM})")


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
