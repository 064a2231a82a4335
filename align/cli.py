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


def _add_tm_option(parser) -> None:
    from align.store.memory import DEFAULT_TM

    parser.add_argument("--tm", type=Path, default=DEFAULT_TM, help=f"memory file (default {DEFAULT_TM})")


def _method_names() -> list[str]:
    from align.aligners import ALIGNERS

    return list(ALIGNERS)


def _add_run(commands) -> None:
    p = commands.add_parser("run", help="align transcript pairs and write TMX files",
                            description="Align every pair in corpora/ (en/<stem>.txt with zh/<stem>.txt) into "
                                        "tmx/<stem>.tmx, or one pair given with --en/--zh/-o.")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="folder with en/, zh/ and optional gold/ (default: corpora)")
    p.add_argument("--out-dir", type=Path, default=Path("tmx"), help="where TMX files go (default: tmx)")
    p.add_argument("--en", type=Path, help="one English transcript (with --zh and -o)")
    p.add_argument("--zh", type=Path, help="one Chinese transcript (with --en and -o)")
    p.add_argument("-o", "--output", type=Path, help="the TMX file to write for --en/--zh")
    p.add_argument("--method", choices=_method_names(),
                   help="alignment method: combined (default, most accurate), fast (about 60%% of the time, a little less accurate), "
                        "embedding, lexical, punctuation (one signal each, for comparison), length (Gale–Church baseline)")
    p.add_argument("--en-lang", default="en-US", help="xml:lang of the English side (default en-US)")
    p.add_argument("--zh-lang", default="zh-CN", help="xml:lang of the Chinese side (default zh-CN)")
    p.add_argument("--review-threshold", type=float, default=None,
                   help="units under this confidence are listed for review (default 0.5)")
    p.add_argument("--tm", type=Path, default=None,
                   help="translation memory to add the units to (default: memory.sqlite beside the TMX files)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_run)


def _add_align_lines(commands) -> None:
    p = commands.add_parser("align-lines", help="align two one-sentence-per-line files (ladder output)",
                            description="Align two files of one sentence a line, without re-segmenting, and write "
                                        "the ladder format with a confidence: [0,1]:[0]:0.87. Source first.")
    p.add_argument("src", type=Path, help="source file, one sentence a line")
    p.add_argument("tgt", type=Path, help="target file, one sentence a line")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .align file to write")
    p.add_argument("--method", choices=_method_names(), help="alignment method (default: combined)")
    p.set_defaults(handler=cmd_align_lines)


def _add_eval(commands) -> None:
    p = commands.add_parser("eval", help="score alignments against gold (strict/lax P/R/F1, AUC)",
                            description="Score every *.align in --test against the same name in --gold.")
    p.add_argument("--gold", type=Path, required=True, help="folder of gold *.align files")
    p.add_argument("--test", type=Path, required=True, help="folder of test *.align files")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(handler=cmd_eval)


def _add_bench(commands) -> None:
    p = commands.add_parser("bench", help="measure quality (MAC-Dev), speed (Bible) or the memory at scale",
                            description="Benchmarks on the shared research data; they measure, they do not test.")
    p.add_argument("which", choices=["quality", "speed", "memory"],
                   help="quality: every method on MAC-Dev; speed: the Bible set; memory: a generated 200,000-unit TM")
    p.add_argument("--units", type=int, default=200_000, help="size of the generated memory for `memory`")
    p.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder with mac-dev/ and bible/")
    p.add_argument("--method", action="append", help="method(s) to measure (default: all for quality, the default for speed)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=cmd_bench)


def cmd_bench(args) -> int:
    from align import bench

    if args.which == "quality":
        results = bench.quality(args.data / "mac-dev", args.method)
        if args.json:
            print(json.dumps({m: s.as_dict() for m, s in results.items()}, indent=2))
        else:
            for method, scores in results.items():
                print(f"{method:10s} {_print_scores_line(scores)}")
        return 0
    if args.which == "memory":
        report = bench.memory(args.units)
    else:
        report = bench.speed(args.data / "bible", (args.method or [None])[0])
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for key, value in report.as_dict().items():
            print(f"{key:26s} {value}")
    return 0


def _add_tm(commands) -> None:
    tm = commands.add_parser("tm", help="the translation memory: import, export, search",
                             description="Work with the translation memory (default tmx/memory.sqlite).")
    sub = tm.add_subparsers(dest="tm_command", metavar="ACTION", required=True)
    p = sub.add_parser("import", help="import TMX files from any CAT tool")
    p.add_argument("files", type=Path, nargs="+", help="TMX 1.4 files")
    _add_tm_option(p)
    p.set_defaults(handler=cmd_tm_import)
    p = sub.add_parser("export", help="write the memory (or part of it) as TMX")
    p.add_argument("-o", "--output", type=Path, required=True, help="the TMX file to write")
    p.add_argument("--min-confidence", type=float, help="only units at or above this confidence")
    p.add_argument("--doc", help="only units of this document (stem or file name)")
    _add_tm_option(p)
    p.set_defaults(handler=cmd_tm_export)
    p = sub.add_parser("search", help="concordance: units containing a word or phrase, in either language")
    p.add_argument("query", help="English or Chinese text to find")
    p.add_argument("--limit", type=int, default=20, help="at most this many units (default 20)")
    _add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the units as JSON")
    p.set_defaults(handler=cmd_tm_search)


def _add_lookup(commands) -> None:
    p = commands.add_parser("lookup", help="how was this term rendered? (English → Chinese or the reverse)",
                            description="Find the renderings of a term inside the aligned units of the memory.")
    p.add_argument("term", help="an English or Chinese term, e.g. \"human community with a shared future\"")
    p.add_argument("--limit", type=int, default=5, help="at most this many renderings (default 5)")
    _add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the renderings as JSON")
    p.set_defaults(handler=cmd_lookup)


def _add_terms(commands) -> None:
    terms = commands.add_parser("terms", help="terminology: extract a bilingual glossary from the memory")
    sub = terms.add_subparsers(dest="terms_command", metavar="ACTION", required=True)
    p = sub.add_parser("extract", help="recurring terms with their Chinese renderings → TBX + OmegaT glossary",
                       description="Write the recurring English terms of the memory with their Chinese renderings "
                                   "as TBX-Basic and as a tab-separated glossary for OmegaT's glossary/ folder.")
    p.add_argument("-o", "--output", type=Path, default=Path("tmx/glossary.tbx"), help="TBX file (default tmx/glossary.tbx)")
    p.add_argument("--tsv", type=Path, help="OmegaT glossary file (default: beside the TBX, .txt)")
    p.add_argument("--min-count", type=int, default=2, help="units a term must occur in (names: 1); default 2")
    _add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the glossary as JSON")
    p.set_defaults(handler=cmd_terms_extract)


def cmd_terms_extract(args) -> int:
    from align.terms.extract import extract_glossary
    from align.terms.tbx import write_omegat_glossary, write_tbx

    with _open_memory(args.tm) as memory:
        entries = extract_glossary(memory, min_count=args.min_count)
    tsv = args.tsv or args.output.with_suffix(".txt")
    write_tbx(args.output, entries)
    write_omegat_glossary(tsv, entries)
    if args.json:
        print(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        print(f"{e.english}\t{e.chinese}\t×{e.frequency}")
    print(f"{len(entries)} term(s) → {args.output}, {tsv}")
    return 0


def _open_memory(path: Path, must_exist: bool = True):
    from align.store.memory import Memory

    if must_exist and not path.is_file():
        raise InputError(f"{path}: no translation memory here yet; run `python -m align run` or `tm import` first")
    return Memory(path)


def cmd_tm_import(args) -> int:
    with _open_memory(args.tm, must_exist=False) as memory:
        for path in args.files:
            added = memory.import_tmx(path, progress=sys.stderr.isatty())
            print(f"{path}: {added} new unit(s); the memory holds {memory.count()}")
    return 0


def cmd_tm_export(args) -> int:
    from align.export.tmx import write_tmx

    with _open_memory(args.tm) as memory:
        units = [u.as_tmx_unit() for u in memory.units(args.min_confidence, args.doc)]
    write_tmx(args.output, units)
    print(f"{len(units)} unit(s) → {args.output}")
    return 0


def _highlight(text: str, query: str) -> str:
    if not sys.stdout.isatty():
        return text
    import re

    return re.sub(re.escape(query), lambda m: f"\033[1;33m{m.group()}\033[0m", text, flags=re.IGNORECASE)


def cmd_tm_search(args) -> int:
    with _open_memory(args.tm) as memory:
        found = memory.search(args.query, args.limit)
    if args.json:
        print(json.dumps([u.__dict__ for u in found], ensure_ascii=False, indent=2))
        return 0
    for u in found:
        confidence = "" if u.confidence is None else f"  ({u.confidence:.2f})"
        print(f"#{u.id} {u.document}{confidence}\n  EN  {_highlight(u.en, args.query)}\n  ZH  {_highlight(u.zh, args.query)}")
    if not found:
        print(f"no unit contains {args.query!r}")
    return 0


def cmd_lookup(args) -> int:
    from align.terms.lookup import lookup

    with _open_memory(args.tm) as memory:
        renderings = lookup(memory, args.term, args.limit)
    if args.json:
        print(json.dumps([r.as_dict() for r in renderings], ensure_ascii=False, indent=2))
        return 0
    if not renderings:
        print(f"{args.term!r} does not occur in the memory")
    for r in renderings:
        print(f"{r.text}   ×{r.count}   score {r.score:.2f}")
        print(f"    e.g. {r.example.en}\n         {r.example.zh}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m align", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(commands)
    _add_align_lines(commands)
    _add_eval(commands)
    _add_bench(commands)
    _add_tm(commands)
    _add_lookup(commands)
    _add_terms(commands)
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
    aligner = get_aligner(args.method, progress=sys.stderr.isatty() and not args.json)
    results = []
    for pair, out in tqdm(list(zip(pairs, outputs)), desc="aligning", unit="pair", disable=len(pairs) < 2 or args.json):
        results.append(run_pair(pair, aligner, out, en_lang=args.en_lang, zh_lang=args.zh_lang, threshold=threshold))
    tm_path = args.tm or (args.out_dir if not all(single) else args.output.parent) / "memory.sqlite"
    with _open_memory(tm_path, must_exist=False) as memory:
        added = sum(memory.add(r.tmx_units, r.tmx.name) for r in results)
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
    print(f"memory        {added} new unit(s) added to {tm_path}")
    return 0


def cmd_align_lines(args) -> int:
    from align.aligners import get_aligner
    from align.aligners.ladder import format_ladder
    from align.export.atomic import atomic_write
    from align.ingest import detect_language, read_lines

    src, tgt = read_lines(args.src), read_lines(args.tgt)
    src_lang = detect_language("\n".join(src)) or "zh"
    tgt_lang = detect_language("\n".join(tgt)) or "en"
    beads = get_aligner(args.method, progress=sys.stderr.isatty()).align(src, tgt, src_lang, tgt_lang)
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
