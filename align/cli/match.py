"""Commands for fuzzy matching: `tm match` (the best matches for one sentence) and `analyze` (a new
document's segments and words per match band)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from align.cli.common import add_tm_option, at_least_one, open_memory


def percent(text: str) -> int:
    """An argparse type: a whole number from 0 to 100 (for --min)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 100, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be from 0 to 100, got {value}")
    return value


def add_tm_match(actions) -> None:
    """`tm match`, an action of the `tm` group."""
    p = actions.add_parser("match", help="fuzzy matches: the stored sentences closest to a new one, with match percentages",
                           description="The best matches from the memory for an English or a Chinese sentence, each "
                                       "with its match percentage (100 = identical; 95-99 = only numbers, dates, tags or "
                                       "punctuation differ; edit distance over English words or Chinese characters).")
    p.add_argument("sentence", help="an English or Chinese sentence")
    p.add_argument("--min", type=percent, default=70, help="lowest match percentage shown (default 70)")
    p.add_argument("--limit", type=at_least_one, default=5, help="at most this many matches (default 5)")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the matches as JSON")
    p.set_defaults(handler=cmd_tm_match)


def add_analyze(commands) -> None:
    p = commands.add_parser("analyze", help="what the memory is worth for a new document: segments and words per match band",
                            description="Segment a new transcript (English or Chinese, detected) as `run` does and "
                                        "count its segments and words (English) or characters (Chinese) per band: "
                                        "repetitions inside the file, 100%, 95-99%, 85-94%, 75-84%, 50-74%, no match.")
    p.add_argument("file", type=Path, help="the new transcript")
    add_tm_option(p)
    p.add_argument("--details", action="store_true", help="also the best match of every segment")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.set_defaults(handler=cmd_analyze)


def _marked(query: str, text: str, lang: str) -> str:
    """`text` with its differences from `query` in bold yellow on a terminal; as it is otherwise."""
    if not sys.stdout.isatty():
        return text
    from align.match.score import differences

    return "".join(f"\033[1;33m{piece}\033[0m" if changed else piece for piece, changed in differences(query, text, lang))


def cmd_tm_match(args) -> int:
    from align.match.search import fuzzy_matches

    with open_memory(args.tm, readonly=True) as memory:
        found = fuzzy_matches(memory, args.sentence, min_score=args.min, limit=args.limit)
    if args.json:
        print(json.dumps([m.as_dict() for m in found], ensure_ascii=False, indent=2))
        return 0
    for m in found:
        confidence = "" if m.confidence is None else f"  ({m.confidence:.2f})"
        en = _marked(args.sentence, m.en, "en") if m.lang == "en" else m.en
        zh = _marked(args.sentence, m.zh, "zh") if m.lang == "zh" else m.zh
        if m.adapted:  # the translation with the query's numbers; the stored one below it
            en, zh = (m.adapted, zh) if m.lang == "zh" else (en, m.adapted)
        print(f"{m.percent:3d}%  #{m.id} {m.document}{confidence}\n  EN  {en}\n  ZH  {zh}"
              + ("  (Traditional)" if m.script == "Traditional" else ""))
        if m.adapted:
            print(f"  numbers adapted; stored: {m.target}")
    if not found:
        print(f"no match of {args.min}% or more")
    return 0


def cmd_analyze(args) -> int:
    from align.match.analyze import analyze, load_new_document
    from align.paths import check_inputs

    check_inputs([args.file])
    document = load_new_document(args.file)
    with open_memory(args.tm, readonly=True) as memory:
        analysis = analyze(memory, document)
    if args.json:
        print(json.dumps(analysis.as_dict(details=args.details), ensure_ascii=False, indent=2))
        return 0
    if args.details:
        for s in analysis.segments:
            percent = f"{s.match.percent:3d}%" if s.match else "   -"
            print(f"{s.line:5d}  {s.band:11s} {percent}  {s.text}")
            if s.match:
                print(f"{'':23s}TM  {_marked(s.text, s.match.source, analysis.lang)}\n{'':23s}    {s.match.target}")
        print()
    language = "Chinese" if analysis.lang == "zh" else "English"
    print(f"{args.file}: {language}, {analysis.total.segments} segment(s), {analysis.total.words} {analysis.unit}")
    print(f"{'band':12s} {'segments':>8s} {analysis.unit:>10s}")
    for band in (*analysis.bands, analysis.total):
        print(f"{band.name:12s} {band.segments:8d} {band.words:10d}")
    return 0


def cmd_bench_fuzzy(args) -> int:
    """`bench fuzzy`: the quality table on the Bible set, then the speed on the generated memory."""
    from align.errors import InputError
    from align.bench import fuzzy

    from align.match.score import SIMILARITIES

    unknown = [name for name in args.method or [] if name not in SIMILARITIES]
    if unknown:
        raise InputError(f"{unknown[0]}: not a similarity; bench fuzzy measures {', '.join(SIMILARITIES)} (--method NAME)")
    report = fuzzy.quality(args.data / "bible", setting=args.setting, similarities=args.method)
    units = 200_000 if args.units is None else args.units
    speed = fuzzy.speed(units) if units > 0 else None
    if args.json:
        print(json.dumps({"quality": report.as_dict(), "speed": speed.as_dict() if speed else None}, ensure_ascii=False,
                         indent=2))
        return 0
    if report.setting == "cross":
        print(f"each book of {', '.join(fuzzy.BOOKS)} in turn against a memory of the other three "
              f"({report.memory_units} units on average): {report.queries} queries a direction; the top match's "
              "translation vs the real one")
    else:
        print(f"every gold pair of {', '.join(fuzzy.BOOKS)} against a memory of all the others ({report.memory_units} "
              f"units, its own left out): {report.queries} queries a direction; the top match's translation vs the real one")
    print(f"{'direction':9s} {'similarity':11s} {'band':8s} {'queries':>7s} {'chrF':>6s} {'±95%':>5s} {'BLEU':>6s} "
          f"{'top is best':>11s}")
    for r in report.rows:
        print(f"{r.direction:9s} {r.similarity:11s} {r.band:8s} {r.queries:7d} {r.chrf:6.1f} {r.chrf_ci:5.1f} {r.bleu:6.1f} "
              f"{r.top_is_best:11.1%}")
    if speed:
        for key, value in speed.as_dict().items():
            print(f"{key:26s} {value}")
    return 0
