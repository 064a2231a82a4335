"""Everything `run` can check before it aligns: each pair readable and in the right languages,
every output writable and clear of the inputs, the memory ours, writable and not locked.

A fault found here costs nothing; the same fault found after an hour of aligning leaves a TMX
without its memory units.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError
from align.paths import check_inputs, check_outputs, check_writable


def review_path(tmx: Path) -> Path:
    """The review file written beside a pair's TMX (the rule `run_pair` follows)."""
    return Path(tmx).with_suffix(".review.tsv")


def check_memory_writable(path: Path) -> None:
    """InputError unless the memory at `path` is ours, opens, and can be written now (a memory that
    does not exist yet needs a writable folder; it is not created here)."""
    from align.store.memory import Memory

    if not Path(path).exists():
        check_writable(path)
        return
    with Memory(path, timeout=2.0) as memory:
        memory.check_writable()


def check_run(pairs, outputs: list[Path], memory: Path, *, each_pair: bool = True) -> None:
    """InputError for the first fault of a `run`, before any work: outputs over inputs, the memory or
    each other, unwritable outputs or memory; with `each_pair`, also unreadable or wrong-language
    transcripts (a batch instead reports a bad pair and goes on with the others)."""
    from align.pipeline import check_pair_languages

    inputs = [path for pair in pairs for path in (pair.en, pair.zh, pair.gold) if path is not None]
    if each_pair:
        check_inputs(inputs)
    written = [path for out in outputs for path in (out, review_path(out))]
    check_outputs(inputs, written, memory=memory)
    check_memory_writable(memory)
    for pair in pairs if each_pair else ():
        check_pair_languages(pair.en, pair.zh)


def line_languages(src: list[str], tgt: list[str], src_path: Path, tgt_path: Path,
                   any_languages: bool = False) -> tuple[str, str]:
    """The languages of `align-lines`' two files ('zh'/'en'); InputError when both are the same
    language, unless `any_languages` (another language pair, aligned with the language-blind signals)."""
    from align.ingest.language import detect_language

    src_lang, tgt_lang = detect_language("\n".join(src)), detect_language("\n".join(tgt))
    if src_lang == tgt_lang and src_lang is not None and not any_languages:
        name = "English (or another Latin-script language)" if src_lang == "en" else "Chinese"
        raise InputError(f"{src_path} and {tgt_path}: both files are {name}; give one English and one Chinese "
                         "file, or add --any-languages to align another language pair")
    return src_lang or "zh", tgt_lang or "en"


def bad_pairs(pairs) -> list[tuple[object, str]]:
    """The pairs of a batch that cannot be aligned (a file missing, empty, not text, the languages
    the same or swapped), each with its one-line reason: found before any work, reported, and left
    out while the other pairs go on."""
    from align.pipeline import read_pair

    bad = []
    for pair in pairs:
        try:
            read_pair(pair)
        except InputError as exc:
            bad.append((pair, str(exc)))
    return bad
