"""Commands that align and measure: run, align-lines, eval, bench."""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path
from typing import Callable

from align.cli.common import at_least_one, fraction, method_names, open_memory, scores_line
from align.errors import InputError


def add_run(commands) -> None:
    p = commands.add_parser("run", help="align transcript pairs and write TMX files",
                            description="Align every pair in corpora/ (en/<stem>.txt with zh/<stem>.txt; either side may be "
                                        ".html, .docx or .pdf instead) into tmx/<stem>.tmx, or one pair given with "
                                        "--en/--zh/-o.")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="folder with en/, zh/ and optional gold/ (default: corpora)")
    p.add_argument("--out-dir", type=Path, default=Path("tmx"), help="where TMX files go (default: tmx)")
    p.add_argument("--en", type=Path, help="one English transcript: .txt, .html, .docx or .pdf (with --zh and -o)")
    p.add_argument("--zh", type=Path, help="one Chinese transcript: .txt, .html, .docx or .pdf (with --en and -o)")
    p.add_argument("-o", "--output", type=Path, help="the TMX file to write for --en/--zh")
    p.add_argument("--method", choices=method_names(),
                   help="alignment method: combined (default, most accurate), fast (about 60%% of the time, a little less "
                        "accurate), e5 and two-encoders (the other encoder alone or both: slower, no better), "
                        "embedding, lexical, punctuation (one signal each, for comparison), length (Gale–Church baseline)")
    p.add_argument("--en-lang", default="en-US", help="xml:lang of the English side (default en-US)")
    p.add_argument("--zh-lang", default="zh-CN", help="xml:lang of the Chinese side (default zh-CN)")
    p.add_argument("--review-threshold", type=fraction, default=None,
                   help="units under this confidence are listed for review (default 0.5)")
    p.add_argument("--tm", type=Path, default=None,
                   help="translation memory to add the units to (default tmx/memory.sqlite, as for every command)")
    p.add_argument("--any-size", action="store_true",
                   help="align pairs over 1,500,000 characters a side or with absurdly different sizes (refused by default)")
    p.add_argument("--pairs", type=Path, help="a TSV file listing the pairs: English file, Chinese file, optional name")
    p.add_argument("--workers", type=int, default=1,
                   help="align this many pairs at once, each in its own process (a Dask LocalCluster; default 1, "
                        "in this process)")
    p.add_argument("--scheduler", help="send the pairs to a running Dask cluster, e.g. tcp://10.0.0.5:8786 "
                                       "(workers need align installed, not your files)")
    p.add_argument("--force", action="store_true",
                   help="align again even the pairs whose files and method are unchanged since the last run")
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


def add_bench(commands, main: Callable[[list[str]], int]) -> None:
    """`bench`; `main` is the CLI's entry point, which `bench fuzz` feeds random arguments."""
    p = commands.add_parser("bench", help="measure quality (MAC-Dev), speed (Bible) or the memory at scale",
                            description="Benchmarks on the shared research data; they measure, they do not test.")
    p.add_argument("which", choices=["quality", "omissions", "rerun", "speed", "memory", "review", "server", "batch",
                                     "fuzz", "fuzzy", "terms", "formats", "qa", "press", "spans"],
                   help="quality: every method on MAC-Dev; omissions: blocks removed from one side of MAC-Dev, "
                        "Bible and press-dev texts (orphan recall, glued units, strict F1 of the rest); "
                        "rerun: a re-run around confirmed beads against a fresh "
                        "alignment on MAC-Dev (every 5th gold 1-1 bead confirmed); speed: the Bible set; memory: a generated 200,000-unit TM; "
                        "review: the review server on the Bible set (open time, edit round trips); "
                        "server: the review server under --clients concurrent clients (a page, a search, the full "
                        "document) over the Bible pair and a generated memory (--units, default 54,000); "
                        "batch: the Bible's 150 chapters as a batch, in-process and on 1 and 2 Dask workers; "
                        "fuzz: the property-based checks of align/bench/fuzz.py with many examples; "
                        "fuzzy: fuzzy-match quality on the Bible set and speed on the generated TM (--units 0: quality only); "
                        "terms: lookup P@1/P@3 both ways and terms extract P/R against benchmarks/terms_glossary.tsv "
                        "and, on benchmarks/terms_fresh to terms_fresh11, terms_fresh_glossary.tsv to "
                        "terms_fresh11_glossary.tsv; "
                        "formats: HTML/DOCX/PDF extraction time per page and per MB on the demo and press-dev "
                        "transcripts made into documents, and the extractors we did not choose; "
                        "qa: number-QA precision/recall on benchmarks/quantity_pairs.tsv; "
                        "press: `run` end to end on press-dev's raw transcripts (and with a paragraph, a whole "
                        "speaker turn, or a whole conference of three back to back, of one side removed), exact-unit "
                        "F1 by text against the sentence gold, beside the aligner on the gold sentences, and the "
                        "gold-unpaired sentences found inside units, with the units holding them and how many of "
                        "those look sure (≥ 0.8); and press-dev with its Chinese in Traditional characters; "
                        "spans: USE span encodings composed from the sentence pass against the package's encodings "
                        "of the joined texts (MAC-Dev, Bible), and the tokens the default runs through USE on the Bible")
    p.add_argument("--units", type=int, help="size of the generated memory for `memory` and `fuzzy` (default "
                                              "200,000) and `server` (default 54,000)")
    p.add_argument("--clients", type=at_least_one, default=200, help="concurrent clients for `server` (default 200)")
    p.add_argument("--pairs-limit", type=int, help="for `batch`: only the first N chapters")
    p.add_argument("--setting", choices=["cross", "within"], default="cross",
                   help="for `fuzzy`: cross = each Bible book against a memory of the other three (default); "
                        "within = every gold pair against all the others, its own book included")
    p.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder with mac-dev/ and bible/")
    p.add_argument("--method", action="append", help="method(s) to measure (default: all for quality, the default for speed)")
    p.add_argument("--examples", type=at_least_one, default=2000, help="examples per property for `fuzz` (default 2000)")
    p.add_argument("--seed", type=int, help="hypothesis seed for `fuzz` (default: a new one, printed)")
    p.add_argument("--repeat", type=at_least_one, default=1,
                   help="for `speed`: time the USE pass and the half and whole alignments N times and report the "
                        "medians and spread of the multiple and the doubling (default 1)")
    p.add_argument("--skip-e5", action="store_true",
                   help="for `speed`: do not time the e5 pass (the earlier yardstick, kept for history; ~6 min)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=partial(cmd_bench, main=main))


def cmd_bench(args, main: Callable[[list[str]], int]) -> int:
    if args.which == "quality":
        from align.bench.quality import quality

        return _print_scores(quality(args.data / "mac-dev", args.method), args.json, width=10)
    if args.which == "rerun":
        from align.bench.rerun import rerun

        return _print_scores(rerun(args.data / "mac-dev", (args.method or [None])[0]), args.json, width=17)
    if args.which == "omissions":
        from align.bench.omissions import omissions

        rows = omissions(args.data, (args.method or [None])[0])
        if args.json:
            print(json.dumps([r.as_dict() for r in rows], indent=2))
        else:
            print(f"{'corpus':18s} {'variants':>8s} {'orphans':>7s} {'recall':>6s} {'glued':>5s} {'≥0.5':>4s} "
                  f"{'≥0.8':>4s} {'F1 rest':>7s}")
            for r in rows:
                print(f"{r.corpus:18s} {r.variants:8d} {r.orphans:7d} {r.orphan_recall:6.3f} {len(r.glued):5d} "
                      f"{r.glued_at_least(0.5):4d} {r.glued_at_least(0.8):4d} {r.strict_f1:7.4f}")
        return 0
    if args.which == "press":
        from align.bench.press import press

        report = press(args.data / "press-dev", (args.method or [None])[0])
        if args.json:
            print(json.dumps(report.as_dict(), indent=2))
        else:
            print(f"{'texts':70s} {'by':16s} {'units':>5s} {'exact':>5s} {'gold':>5s} {'P':>6s} {'R':>6s} {'F1':>6s} "
                  f"{'cut':>4s} {'orphans':>7s} {'inside':>6s} {'glued':>5s} {'≥ 0.8':>5s}")
            for what, run, on_gold in report.rows:
                for by, s in (("run", run), ("gold sentences", on_gold)):
                    print(f"{what:70s} {by:16s} {s.units:5d} {s.exact:5d} {s.gold_units:5d} {s.precision:6.3f} "
                          f"{s.recall:6.3f} {s.f1:6.3f} {s.cut_otherwise:4d} {s.unpaired_gold:7d} "
                          f"{s.unpaired_inside:6d} {s.glued:5d} {s.glued_sure:5d}")
        return 0
    if args.which == "fuzzy":
        from align.cli.match import cmd_bench_fuzzy
        return cmd_bench_fuzzy(args)
    if args.which == "terms":
        from align.bench.terms import terms

        return _print_terms(terms(args.data / "bible"), args.json)
    if args.which == "formats":
        from align.bench.formats import formats

        return _print_formats(formats(args.data), args.json)
    if args.which == "qa":
        from align.bench.qa import qa

        scores = qa()
        if args.json:
            print(json.dumps([s.as_dict() for s in scores], indent=2))
        for s in [] if args.json else scores:
            print(f"{s.part:6s} {s.pairs:3d} pairs, {s.disagreements:3d} disagreements: precision {s.precision:.3f}, "
                  f"recall {s.recall:.3f} ({s.true_positives} found, {s.false_positives} false alarms)")
        return 0
    if args.which == "fuzz":
        import random

        from align.bench.fuzz import run_fuzz

        seed = random.randrange(2**32) if args.seed is None else args.seed
        print(f"fuzz: {args.examples} examples per property, seed {seed}", file=sys.stderr)
        report = run_fuzz(args.examples, main, seed=seed)
    elif args.which == "memory":
        from align.bench.memory import memory

        report = memory(200_000 if args.units is None else args.units)
    elif args.which == "server":
        from align.bench.server import server

        report = server(args.data / "bible", 54_000 if args.units is None else args.units, args.clients)
    elif args.which == "review":
        from align.bench.review import review

        report = review(args.data / "bible")
    elif args.which == "spans":
        from align.bench.spans import spans

        report = spans(args.data)
    elif args.which == "batch":
        from align.bench.batch import batch

        report = batch(args.data / "bible", (args.method or [None])[0], args.pairs_limit)
    else:
        from align.bench.speed import speed

        report = speed(args.data / "bible", (args.method or [None])[0], args.repeat, e5=not args.skip_e5)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    elif args.which == "speed":
        _print_speed(report)
    elif args.which == "server":
        print(f"{report.units:,} units + a {report.beads:,}-bead document; {report.clients} concurrent clients")
        print(f"{'request':15s} {'alone ms':>9s} {'median ms':>10s} {'p95 ms':>8s} {'req/s':>7s} {'failed':>10s}")
        for row in report.rows:
            print(f"{row.request:15s} {row.alone_median_ms:9.1f} {row.median_ms:10.0f} {row.p95_ms:8.0f} "
                  f"{row.per_second:7.1f} {row.failed:4d}/{row.requests}")
    elif args.which == "spans":
        print(f"{'corpus':8s} {'side':4s} {'spans':>6s}  composed: min / p1 / median          joins ignored: min / p1 / median")
        for a in report.agreement:
            print(f"{a.corpus:8s} {a.side:4s} {a.spans:6d}  {' / '.join(f'{c:.7f}' for c in a.cosines)}  "
                  f"{' / '.join(f'{c:.4f}' for c in a.joins_ignored)}")
        for key, value in report.as_dict().items():
            if key != "agreement":
                print(f"{key:30s} {value}")
    else:
        for key, value in report.as_dict().items():
            print(f"{key:26s} {value}")
    return 0


def _print_scores(results: dict, as_json: bool, width: int) -> int:
    """Each named alignment's scores (`quality`, `rerun`): as JSON, or a line each, the names `width` wide."""
    if as_json:
        print(json.dumps({name: scores.as_dict() for name, scores in results.items()}, indent=2))
        return 0
    for name, scores in results.items():
        print(f"{name:{width}s} {scores_line(scores)}")
    return 0


def _print_speed(report) -> None:
    """Each repeat's seconds and ratios, the USE-pass yardstick first, then the medians and the rest."""
    print(f"{'repeat':6s} {'USE pass s':>10s} {'half':>6s} {'align s':>8s} {'half':>6s} {'multiple':>9s} "
          f"{'doubling':>9s} {'USE doubling':>13s}")
    for k, run in enumerate(report.runs, 1):
        print(f"{k:<6d} {run.use_seconds:10.1f} {run.use_half_seconds:6.1f} {run.align_seconds:8.1f} "
              f"{run.half_align_seconds:6.1f} {run.use_multiple:9.2f} {run.doubling_ratio:9.2f} {run.use_doubling_ratio:13.2f}")
    for key, value in report.as_dict().items():
        if key != "runs":
            print(f"{key:28s} {value}")


def _print_formats(report, as_json: bool) -> int:
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print("format  files  pages     MB  seconds  ms/page   s/MB  min/10,000 pages  same sentences as text")
    for t in (t.as_dict() for t in report.timings):
        print(f"{t['format']:6s}{t['files']:7d}{t['pages']:7d}{t['megabytes']:7.2f}{t['seconds']:9.2f}{t['ms_per_page']:9.1f}"
              f"{t['s_per_mb'] or 0:7.2f}{t['minutes_for_10000_pages']:18.1f}  {t['same_sentences_as_text']}")
    print("\nHTML extractor            paragraphs lost  labels lost  furniture phrases kept")
    for e in (e.as_dict() for e in report.extractors):
        print(f"{e['extractor']:26s}{e['paragraphs_lost']:>15s}{e['labels_lost']:>13s}{e['furniture_phrases_kept']:>24d}")
    if report.pdf_libraries:
        print("\nPDF library     files  characters in reading order  paragraph breaks found")
        for p in (p.as_dict() for p in report.pdf_libraries):
            print(f"{p['library']:14s}{p['files']:7d}{p['characters_in_order']:29.4f}{p['paragraph_breaks_found']:24.3f}")
    for line in report.skipped:
        print(f"skipped: {line}")
    return 0


def _print_terms(report, as_json: bool) -> int:
    if as_json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print("set         entries  units  en→zh P@1  P@3    zh→en P@1  P@3    extract P  R      (judged)  P composed"
          "  P undated  P adjudicated")
    for r in report.rows:
        print(f"{r.name:12s}{r.entries:7d}{r.units:7d}  {r.en_to_zh[0]:9.3f}  {r.en_to_zh[1]:.3f}  {r.zh_to_en[0]:9.3f}  "
              f"{r.zh_to_en[1]:.3f}  {r.extract[0]:9.3f}  {r.extract[1]:.3f}  ({r.extract[2]})  {r.composed_precision:.3f}"
              f"       {r.undated_precision:.3f}     {r.adjudicated_precision:.3f}")
    for r in report.rows:
        for miss in r.misses:
            print(f"  {r.name}: {miss}")
    for r in report.rows:
        for pair in r.wrong:
            print(f"  {r.name} extracted, judged wrong: {pair}")
    return 0


def _run_pairs(args):
    """The pairs a `run` aligns and the TMX path of each, from --en/--zh/-o, --pairs or --corpus."""
    from align.batch import read_pairs_file
    from align.pipeline import DocumentPair, find_pairs

    single = [args.en, args.zh, args.output]
    if any(single) and not all(single):
        raise InputError("give --en, --zh and -o together (or none of them to align corpora/)")
    if all(single):
        return [DocumentPair(args.output.stem, args.en, args.zh)], [args.output]
    pairs = read_pairs_file(args.pairs) if args.pairs else find_pairs(args.corpus)
    return pairs, [args.out_dir / f"{p.stem}.tmx" for p in pairs]


def cmd_run(args) -> int:
    from tqdm import tqdm

    from align.batch import BatchOptions, run_batch
    from align.pipeline import REVIEW_THRESHOLD
    from align.preflight import bad_pairs, check_run
    from align.store.alignments import AlignmentStore
    from align.store.memory import DEFAULT_TM

    threshold = REVIEW_THRESHOLD if args.review_threshold is None else args.review_threshold
    if args.workers < 1:
        raise InputError(f"--workers must be 1 or more, not {args.workers}")
    pairs, outputs = _run_pairs(args)
    tm_path = args.tm or DEFAULT_TM  # one memory for every command, wherever the TMX files go
    check_run(pairs, outputs, tm_path, any_size=args.any_size, each_pair=len(pairs) == 1)
    bad = bad_pairs(pairs, any_size=args.any_size) if len(pairs) > 1 else []
    for pair, reason in bad:
        print(f"error: {reason} (pair {pair.stem!r} is left out; the others go on)", file=sys.stderr)
    jobs = [(pair, out) for pair, out in zip(pairs, outputs) if pair not in {p for p, _ in bad}]
    options = BatchOptions(args.method, args.workers, args.scheduler, args.force, args.discard_edits, threshold,
                           args.en_lang, args.zh_lang, progress=sys.stderr.isatty() and not args.json)
    bar = tqdm(total=len(jobs), desc="aligning", unit="pair", disable=len(pairs) < 2 or args.json or not sys.stderr.isatty())
    counts = {"done": 0, "skipped": 0, "failed": 0}

    def on_pair(stem: str, outcome: str) -> None:
        counts[outcome] += 1
        bar.set_postfix(counts, refresh=False)
        bar.update()

    with open_memory(tm_path, must_exist=False) as memory, bar:
        summary = run_batch(jobs, AlignmentStore(memory), options, on_pair)
    summary.failed[:0] = [(pair.stem, reason) for pair, reason in bad]
    if len(pairs) == 1 and summary.failed:
        raise InputError(summary.failed[0][1])
    results = summary.done + summary.skipped
    if args.json:
        failed = [{"stem": stem, "error": reason} for stem, reason in summary.failed]
        print(json.dumps([r.as_dict() for r in results] + failed, ensure_ascii=False, indent=2))
        return 1 if summary.failed else 0
    for r in results if len(results) <= 20 else ():
        _print_pair(r, threshold)
    added, removed = sum(r.added for r in results), sum(r.removed for r in results)
    if len(pairs) > 1:
        print(f"pairs         {len(summary.done)} aligned, {len(summary.skipped)} unchanged (skipped), "
              f"{len(summary.failed)} failed")
    for stem, reason in summary.failed:
        print(f"failed        {stem}: {reason}")
    print(f"memory        {added} unit(s) added, {removed} replaced or removed in {tm_path}"
          f"  (review: python -m align review --tm {tm_path})")
    return 1 if summary.failed else 0


def _print_pair(r, threshold: float) -> None:
    print(f"{r.pair.stem}")
    print(f"  sentences   {r.en_sentences} English, {r.zh_sentences} Chinese"
          + (f"  ({r.dropped_lines} web-residue line(s) left out)" if r.dropped_lines else ""))
    print(f"  units       {r.units} in {r.tmx}   mean confidence {r.mean_confidence:.3f}")
    print(f"  to review   {r.low_confidence} unit(s) under {threshold:.2f}, {r.unpaired} unpaired sentence(s)"
          f"  → {r.review}")
    for block in r.unpaired_blocks:
        print(f"  unpaired    {block.describe()}")
    if r.reused or r.kept:
        print("  reviewed    " + ("files and aligner unchanged, nothing re-aligned; " if r.reused else
                                  "re-aligned between ") + f"{r.kept} edited or confirmed bead(s) kept")
    if r.not_kept:
        print(f"  not kept    {len(r.not_kept)} piece(s) of review work (also listed on the review page):")
        for line in r.not_kept:
            print(f"              {line}")
    if r.scores:
        print(f"  vs gold     {scores_line(r.scores)}")


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
    from align.evaluate import orientation_warning, read_directories, score_alignments

    names, pairs = read_directories(args.gold, args.test)
    scores, warning = score_alignments(pairs), orientation_warning(pairs, names)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps({**scores.as_dict(), "warning": warning}, indent=2))
    else:
        print(f"{scores.documents} document(s), {scores.beads} test bead(s)")
        print(scores_line(scores))
    return 0
