"""Commands that align and measure: run, align-lines, eval, bench."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from align.cli.common import fraction, method_names, open_memory, scores_line
from align.errors import InputError


def add_run(commands) -> None:
    p = commands.add_parser("run", help="align transcript pairs and write TMX files",
                            description="Align every pair in corpora/ (en/<stem>.txt with zh/<stem>.txt) into "
                                        "tmx/<stem>.tmx, or one pair given with --en/--zh/-o.")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="folder with en/, zh/ and optional gold/ (default: corpora)")
    p.add_argument("--out-dir", type=Path, default=Path("tmx"), help="where TMX files go (default: tmx)")
    p.add_argument("--en", type=Path, help="one English transcript (with --zh and -o)")
    p.add_argument("--zh", type=Path, help="one Chinese transcript (with --en and -o)")
    p.add_argument("-o", "--output", type=Path, help="the TMX file to write for --en/--zh")
    p.add_argument("--method", choices=method_names(),
                   help="alignment method: combined (default, most accurate), fast (about 60%% of the time, a little less accurate), "
                        "embedding, lexical, punctuation (one signal each, for comparison), length (Gale–Church baseline)")
    p.add_argument("--en-lang", default="en-US", help="xml:lang of the English side (default en-US)")
    p.add_argument("--zh-lang", default="zh-CN", help="xml:lang of the Chinese side (default zh-CN)")
    p.add_argument("--review-threshold", type=fraction, default=None,
                   help="units under this confidence are listed for review (default 0.5)")
    p.add_argument("--tm", type=Path, default=None,
                   help="translation memory to add the units to (default: memory.sqlite beside the TMX files)")
    p.add_argument("--discard-edits", action="store_true",
                   help="re-align from scratch, throwing away beads edited or confirmed in the review page")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_run)


def add_align_lines(commands) -> None:
    p = commands.add_parser("align-lines", help="align two one-sentence-per-line files (ladder output)",
                            description="Align two files of one sentence a line, without re-segmenting, and write "
                                        "the ladder format with a confidence: [0,1]:[0]:0.87. Source first.")
    p.add_argument("src", type=Path, help="source file, one sentence a line")
    p.add_argument("tgt", type=Path, help="target file, one sentence a line")
    p.add_argument("-o", "--output", type=Path, required=True, help="the .align file to write")
    p.add_argument("--method", choices=method_names(), help="alignment method (default: combined)")
    p.add_argument("--any-languages", action="store_true",
                   help="align files of the same script or another language pair (no English/Chinese check)")
    p.set_defaults(handler=cmd_align_lines)


def add_eval(commands) -> None:
    p = commands.add_parser("eval", help="score alignments against gold (strict/lax P/R/F1, AUC)",
                            description="Score every *.align in --test against the same name in --gold.")
    p.add_argument("--gold", type=Path, required=True, help="folder of gold *.align files")
    p.add_argument("--test", type=Path, required=True, help="folder of test *.align files")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(handler=cmd_eval)


def add_bench(commands) -> None:
    p = commands.add_parser("bench", help="measure quality (MAC-Dev), speed (Bible) or the memory at scale",
                            description="Benchmarks on the shared research data; they measure, they do not test.")
    p.add_argument("which", choices=["quality", "speed", "memory", "review", "fuzzy"],
                   help="quality: every method on MAC-Dev; speed: the Bible set; memory: a generated 200,000-unit TM; "
                        "review: the review server on the Bible set (open time, edit round trips); "
                        "fuzzy: fuzzy-match quality on the Bible set and speed on the generated TM (--units 0: quality only)")
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
                print(f"{method:10s} {scores_line(scores)}")
        return 0
    if args.which == "fuzzy":
        from align.cli.match import cmd_bench_fuzzy
        return cmd_bench_fuzzy(args)
    if args.which == "memory":
        report = bench.memory(args.units)
    elif args.which == "review":
        report = bench.review(args.data / "bible")
    else:
        report = bench.speed(args.data / "bible", (args.method or [None])[0])
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for key, value in report.as_dict().items():
            print(f"{key:26s} {value}")
    return 0


def cmd_run(args) -> int:
    from tqdm import tqdm

    from align.aligners import get_aligner
    from align.preflight import check_run
    from align.pipeline import REVIEW_THRESHOLD, DocumentPair, find_pairs, run_pair
    from align.store.alignments import AlignmentStore

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
    tm_path = args.tm or (args.out_dir if not all(single) else args.output.parent) / "memory.sqlite"
    check_run(pairs, outputs, tm_path)
    with open_memory(tm_path, must_exist=False) as memory:
        store = AlignmentStore(memory)
        aligner = get_aligner(args.method, progress=sys.stderr.isatty() and not args.json)
        results = []
        for pair, out in tqdm(list(zip(pairs, outputs)), desc="aligning", unit="pair",
                              disable=len(pairs) < 2 or args.json or not sys.stderr.isatty()):
            results.append(run_pair(pair, aligner, out, store, discard_edits=args.discard_edits,
                                    en_lang=args.en_lang, zh_lang=args.zh_lang, threshold=threshold))
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
        if r.reused or r.kept:
            print("  reviewed    " + ("files and aligner unchanged, nothing re-aligned; " if r.reused else
                                      "re-aligned between ") + f"{r.kept} edited or confirmed bead(s) kept")
        if r.scores:
            print(f"  vs gold     {scores_line(r.scores)}")
    added, removed = sum(r.added for r in results), sum(r.removed for r in results)
    print(f"memory        {added} unit(s) added, {removed} replaced or removed in {tm_path}"
          f"  (review: python -m align review --tm {tm_path})")
    return 0


def cmd_align_lines(args) -> int:
    from align.aligners import get_aligner
    from align.aligners.ladder import format_ladder
    from align.export.atomic import atomic_write
    from align.ingest import read_lines
    from align.paths import check_outputs
    from align.preflight import line_languages

    check_outputs([args.src, args.tgt], [args.output])
    src, tgt = read_lines(args.src), read_lines(args.tgt)
    src_lang, tgt_lang = line_languages(src, tgt, args.src, args.tgt, args.any_languages)
    beads = get_aligner(args.method, progress=sys.stderr.isatty()).align(src, tgt, src_lang, tgt_lang)
    with atomic_write(args.output, "w", encoding="utf-8") as handle:
        handle.write(format_ladder(beads))
    paired = sum(1 for b in beads if b.paired)
    print(f"{len(src)} source and {len(tgt)} target line(s) → {len(beads)} bead(s), {paired} paired, "
          f"{len(beads) - paired} unpaired → {args.output}")
    return 0


def cmd_eval(args) -> int:
    from align.evaluate import score_directories

    scores = score_directories(args.gold, args.test)
    if args.json:
        print(json.dumps(scores.as_dict(), indent=2))
    else:
        print(f"{scores.documents} document(s), {scores.beads} test bead(s)")
        print(scores_line(scores))
    return 0
