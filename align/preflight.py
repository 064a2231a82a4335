"""Everything `run` can check before it aligns: each pair readable and in the right languages,
every output writable and clear of the inputs, the memory ours, writable and not locked.

A fault found here costs nothing; the same fault found after an hour of aligning leaves a TMX
without its memory units.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError
from align.paths import check_inputs, check_outputs, check_writable


def check_memory_writable(path: Path) -> None:
    """InputError unless the memory at `path` is ours, opens, and can be written now (a memory that
    does not exist yet needs a writable folder; it is not created here)."""
    from align.store.memory import Memory

    if not Path(path).exists():
        check_writable(path)
        return
    with Memory(path, timeout=2.0) as memory:
        memory.check_writable()


# English characters per Chinese character: 3.4–5.0 over the six MAC-Dev chapters (mean 4.0), 3.9 on
# the demo. A pair ten times outside that range is not one document in two languages.
EN_PER_ZH = (0.34, 50.0)
# The Bible set (653k English characters) takes 265 s and 1.6 GB with the default method, and time
# doubles with the text (`python -m align bench speed`); beyond this a pair runs for a long time.
MAX_CHARACTERS = 1_500_000
_SMALL = 2_000  # pairs this small align in a moment whatever their ratio


def check_pair(pair, any_size: bool = False) -> None:
    """InputError when a pair cannot be aligned: a file missing, empty or not text, the languages the
    same or swapped, or (unless `any_size`) sizes absurdly mismatched or beyond MAX_CHARACTERS a side.
    Each file is read once."""
    from align.pipeline import read_texts

    en_text, zh_text = read_texts(pair)
    if not any_size:
        _check_sizes(pair.en, pair.zh, len(en_text), len(zh_text))


def _check_sizes(en_path: Path, zh_path: Path, en: int, zh: int) -> None:
    for path, size in ((en_path, en), (zh_path, zh)):
        if size > MAX_CHARACTERS:
            raise InputError(f"{path}: {size:,} characters, more than the {MAX_CHARACTERS:,} a pair is checked for; "
                             "split the document, or add --any-size to align it anyway")
    if max(en, zh) > _SMALL and not EN_PER_ZH[0] <= en / max(zh, 1) <= EN_PER_ZH[1]:
        raise InputError(f"{en_path} and {zh_path}: {en:,} English against {zh:,} Chinese characters; translations "
                         f"of one document differ far less (3.4 to 5 English characters per Chinese one); check the "
                         "files, or add --any-size to align them anyway")


def check_run(pairs, outputs: list[Path], memory: Path, any_size: bool = False, each_pair: bool = True) -> None:
    """InputError for the first fault of a `run`, before any work: outputs over inputs, the memory or
    each other, unwritable outputs or memory; with `each_pair`, also unreadable or wrong-language
    transcripts and absurd sizes (unless `any_size`). A batch instead reports a bad pair and goes
    on with the others (`bad_pairs`)."""
    from align.pipeline import review_path

    inputs = [path for pair in pairs for path in (pair.en, pair.zh, pair.gold) if path is not None]
    if each_pair:
        check_inputs(inputs)
    written = [path for out in outputs for path in (out, review_path(out))]
    check_outputs(inputs, written, memory=memory)
    check_memory_writable(memory)
    for pair in pairs if each_pair else ():
        check_pair(pair, any_size)


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


def bad_pairs(pairs, any_size: bool = False) -> list[tuple[object, str]]:
    """The pairs of a batch that cannot be aligned (a file missing, empty, not text, the languages
    the same or swapped, absurd sizes unless `any_size`), each with its one-line reason: found before
    any work, reported, and left out while the other pairs go on."""
    bad = []
    for pair in pairs:
        try:
            check_pair(pair, any_size)
        except InputError as exc:
            bad.append((pair, str(exc)))
    return bad
