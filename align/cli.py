"""The command line: `python -m align COMMAND …`. Parsing and printing only; the work is elsewhere.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input (one clear line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from align import __version__
from align.errors import InputError

DESCRIPTION = """English–Chinese sentence alignment for translators.
Reads English and Chinese versions of the same document, aligns them sentence by sentence,
scores every pair, and writes TMX translation memories that OmegaT, Trados and memoQ import."""


def _add_run(commands) -> None:
    p = commands.add_parser("run", help="align transcript pairs and write TMX files",
                            description="Align every pair in corpora/ (en/<stem>.txt with zh/<stem>.txt) into "
                                        "tmx/<stem>.tmx, or one pair given with --en/--zh/-o.")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="folder with en/, zh/ and optional gold/ (default: corpora)")
    p.add_argument("--out-dir", type=Path, default=Path("tmx"), help="where TMX files go (default: tmx)")
    p.add_argument("--en", type=Path, help="one English transcript (with --zh and -o)")
    p.add_argument("--zh", type=Path, help="one Chinese transcript (with --en and -o)")
    p.add_argument("-o", "--output", type=Path, help="the TMX file to write for --en/--zh")
    p.add_argument("--method", help="alignment method (default: the best one; see `align-lines --help`)")
    p.add_argument("--en-lang", default="en-US", help="xml:lang of the English side (default en-US)")
    p.add_argument("--zh-lang", default="zh-CN", help="xml:lang of the Chinese side (default zh-CN)")
    p.add_argument("--review-threshold", type=float, default=None,
                   help="units under this confidence are listed for review (default 0.5)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_run)


def _add_align_lines(commands) -> None:
    from align.aligners import ALIGNERS

    p = commands.add_parser("align-lines", help="align two one-sentence-per-line files (ladder output)",
                            description="Align two files of one sentence a line, without re-segmenting, and write "
                                        "the ladder format with a confidence: [0,1]:[0]:0.87. Source first.")
    p.add_argument("src", type=Path, help="source file, one sentence a line")
    p.add_argument("tgt", type=Path, help="target file, one sentence a line")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .align file to write")
    p.add_argument("--method", choices=sorted(ALIGNERS), help="alignment method (default: the best one)")
    p.set_defaults(handler=cmd_align_lines)


def _add_eval(commands) -> None:
    p = commands.add_parser("eval", help="score alignments against gold (strict/lax P/R/F1, AUC)",
                            description="Score every *.align in --test against the same name in --gold.")
    p.add_argument("--gold", type=Path, required=True, help="folder of gold *.align files")
    p.add_argument("--test", type=Path, required=True, help="folder of test *.align files")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(handler=cmd_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m align", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(commands)
    _add_align_lines(commands)
    _add_eval(commands)
    return parser


def _print_scores_line(scores) -> str:
    auc = f"{scores.auc:.3f}" if scores.auc is not None else "n/a"
    return (f"strict P/R/F1 {scores.strict_precision:.3f}/{scores.strict_recall:.3f}/{scores.strict_f1:.3f}   "
            f"lax P/R/F1 {scores.lax_precision:.3f}/{scores.lax_recall:.3f}/{scores.lax_f1:.3f}   AUC {auc}")


def cmd_run(args) -> int:
    from tqdm import tqdm

    from align.aligners import get_aligner
    from align.pipeline import REVIEW_THRESHOLD, DocumentPair, find_pairs, run_pair

    threshold = REVIEW_THRESHOLD if args.review_threshold is None else args.review_threshold
    single = [args.en, args.zh, args.output]
    if any(single) and not all(single):
        raise InputError("give --en, --zh and -o together (or none of them to align corpora/)")
    if all(single):
        pairs = [DocumentPair(args.output.stem, args.en, args.zh)]
        outputs = [args.output]
    else:
        pairs = find_pairs(args.corpus)
        outputs = [args.out_dir / f"{p.stem}.tmx" for p in pairs]
    aligner = get_aligner(args.method)
    results = []
    for pair, out in tqdm(list(zip(pairs, outputs)), desc="aligning", unit="pair", disable=len(pairs) < 2 or args.json):
        results.append(run_pair(pair, aligner, out, en_lang=args.en_lang, zh_lang=args.zh_lang, threshold=threshold))
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
        return 0
    for r in results:
        print(f"{r.pair.stem}")
        print(f"  sentences   {r.en_sentences} English, {r.zh_sentences} Chinese"
              + (f"  ({r.dropped_lines} web-residue line(s) left out)" if r.dropped_lines else ""))
        print(f"  units       {r.units} in {r.tmx}   mean confidence {r.mean_confidence:.3f}")
        print(f"  to review   {r.low_confidence} unit(s) under {threshold:.2f}, {r.unpaired} unpaired sentence(s)"
              f"  → {r.review}")
        if r.scores:
            print(f"  vs gold     {_print_scores_line(r.scores)}")
    return 0


def cmd_align_lines(args) -> int:
    from align.aligners import get_aligner
    from align.aligners.ladder import format_ladder
    from align.export.atomic import atomic_write
    from align.ingest import detect_language, read_lines

    src, tgt = read_lines(args.src), read_lines(args.tgt)
    src_lang = detect_language("\n".join(src)) or "zh"
    tgt_lang = detect_language("\n".join(tgt)) or "en"
    beads = get_aligner(args.method).align(src, tgt, src_lang, tgt_lang)
    with atomic_write(args.output, "w", encoding="utf-8") as handle:
        handle.write(format_ladder(beads))
    return 0


def cmd_eval(args) -> int:
    from align.evaluate import score_directories

    scores = score_directories(args.gold, args.test)
    if args.json:
        print(json.dumps(scores.as_dict(), indent=2))
    else:
        print(f"{scores.documents} document(s), {scores.beads} test bead(s)")
        print(_print_scores_line(scores))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *rest, **kw: print(f"warning: {message}", file=sys.stderr)
        try:
            return args.handler(args)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 1
        except Exception as exc:  # noqa: BLE001 — the CLI's last line of defence
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
