"""Commands on the translation memory: tm import/export/search/qa/clean (tm match is in match.py), lookup, terms extract."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from align.cli import match
from align.cli.common import add_tm_option, at_least_one, fraction, open_memory


def add_tm(commands) -> None:
    tm = commands.add_parser("tm", help="the translation memory: import, export, search, match",
                             description="Work with the translation memory (default tmx/memory.sqlite).")
    sub = tm.add_subparsers(dest="tm_command", metavar="ACTION", required=True)
    p = sub.add_parser("import", help="import TMX or bilingual XLIFF files from any CAT tool")
    p.add_argument("files", type=Path, nargs="+", help="TMX 1.4 files, or XLIFF 1.2 / 2.0 files (.xlf, .xliff): "
                                                       "the source and target of each translated unit, with notes")
    add_tm_option(p)
    p.set_defaults(handler=cmd_tm_import)
    p = sub.add_parser("export", help="write the memory (or part of it) as TMX")
    p.add_argument("-o", "--output", type=Path, required=True, help="the TMX file to write")
    p.add_argument("--min-confidence", type=fraction, help="only units at or above this confidence")
    p.add_argument("--doc", help="only units of this document (stem or file name)")
    add_tm_option(p)
    p.set_defaults(handler=cmd_tm_export)
    p = sub.add_parser("search", help="concordance: units containing a word or phrase, in either language")
    p.add_argument("query", help="English or Chinese text to find")
    p.add_argument("--limit", type=at_least_one, default=20, help="at most this many units (default 20)")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the units as JSON")
    p.set_defaults(handler=cmd_tm_search)
    match.add_tm_match(sub)
    p = sub.add_parser("qa", help="units whose English and Chinese state different numbers, percentages or dates",
                       description="List the units whose two sides do not state the same quantities (80 against 70 is a "
                                   "finding; 1.2万 against 12,000 or 第十六次 against 16th is not). Exit status 1 when "
                                   "there is a finding.")
    p.add_argument("--doc", help="only units of this document (stem or file name)")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(handler=cmd_tm_qa)
    p = sub.add_parser("clean", help="remove exact duplicates (the newest kept); report inconsistent, empty and "
                                     "untranslated units",
                       description="Report the memory's exact duplicates, inconsistent translations, empty or tag-only "
                                   "units and units whose two sides are the same, then remove the duplicates (the "
                                   "newest of each kept) after copying the memory beside it. Nothing else is changed.")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the findings (and what was done) as JSON")
    p.set_defaults(handler=cmd_tm_clean)


def add_lookup(commands) -> None:
    p = commands.add_parser("lookup", help="how was this term rendered? (English → Chinese or the reverse)",
                            description="Find the renderings of a term inside the aligned units of the memory.")
    p.add_argument("term", help="an English or Chinese term, e.g. \"human community with a shared future\"")
    p.add_argument("--limit", type=at_least_one, default=5, help="at most this many renderings (default 5)")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the renderings as JSON")
    p.set_defaults(handler=cmd_lookup)


def add_terms(commands) -> None:
    terms = commands.add_parser("terms", help="terminology: extract a bilingual glossary from the memory")
    sub = terms.add_subparsers(dest="terms_command", metavar="ACTION", required=True)
    p = sub.add_parser("extract", help="recurring terms with their Chinese renderings → TBX + OmegaT glossary",
                       description="Write the recurring English terms of the memory with their Chinese renderings "
                                   "as TBX-Basic and as a tab-separated glossary for OmegaT's glossary/ folder.")
    p.add_argument("-o", "--output", type=Path, default=Path("tmx/glossary.tbx"), help="TBX file (default tmx/glossary.tbx)")
    p.add_argument("--tsv", type=Path, help="OmegaT glossary file (default: beside the TBX, .txt)")
    p.add_argument("--min-count", type=at_least_one, default=2, help="units a term must occur in (names: 1); default 2")
    p.add_argument("--all", action="store_true",
                   help="every candidate pair, also those whose evidence (dictionary ties, consistent recurrence) plus "
                        "fit (the lookup score) is under the threshold that keeps the glossary short and clean")
    add_tm_option(p)
    p.add_argument("--json", action="store_true", help="print the glossary as JSON")
    p.set_defaults(handler=cmd_terms_extract)


def cmd_terms_extract(args) -> int:
    from align.terms.evidence import MIN_CONFIDENCE
    from align.terms.extract import extract_glossary
    from align.paths import check_outputs
    from align.terms.tbx import write_omegat_glossary, write_tbx

    tsv = args.tsv or args.output.with_suffix(".txt")
    check_outputs([], [args.output, tsv], memory=args.tm)
    with open_memory(args.tm, readonly=True) as memory:
        entries = extract_glossary(memory, min_count=args.min_count, min_confidence=None if args.all else MIN_CONFIDENCE)
    write_tbx(args.output, entries)
    write_omegat_glossary(tsv, entries)
    if args.json:
        print(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        print(f"{e.english}\t{e.chinese}\t×{e.frequency}")
    print(f"{len(entries)} term(s) → {args.output}, {tsv}")
    return 0


def cmd_tm_import(args) -> int:
    from align.paths import check_inputs, check_outputs

    from align.export.xliff import XLIFF_SUFFIXES, import_xliff

    check_inputs(args.files)
    check_outputs(args.files, [], memory=args.tm)   # read as TMX while open, the memory would lose its locks
    with open_memory(args.tm, must_exist=False) as memory:
        for path in args.files:
            if path.suffix.lower() in XLIFF_SUFFIXES:
                added, untranslated = import_xliff(memory, path, progress=sys.stderr.isatty())
                skipped = f" ({untranslated} unit(s) without a target skipped)" if untranslated else ""
            else:
                added, skipped = memory.import_tmx(path, progress=sys.stderr.isatty()), ""
            print(f"{path}: {added} new unit(s){skipped}; the memory holds {memory.count()}")
    return 0


def cmd_tm_export(args) -> int:
    from align.export.tmx import write_tmx
    from align.paths import check_outputs

    check_outputs([], [args.output], memory=args.tm)
    with open_memory(args.tm, readonly=True) as memory:
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
    with open_memory(args.tm, readonly=True) as memory:
        found = memory.search(args.query, args.limit)
    if args.json:
        print(json.dumps([u.as_dict() for u in found], ensure_ascii=False, indent=2))
        return 0
    for u in found:
        confidence = "" if u.confidence is None else f"  ({u.confidence:.2f})"
        print(f"#{u.id} {u.document}{confidence}\n  EN  {_highlight(u.en, args.query)}\n  ZH  {_highlight(u.zh, args.query)}"
              + ("  (Traditional)" if u.script == "Traditional" else ""))
    if not found:
        print(f"no unit contains {args.query!r}")
    return 0


def cmd_lookup(args) -> int:
    from align.terms.lookup import lookup

    with open_memory(args.tm, readonly=True) as memory:
        renderings = lookup(memory, args.term, args.limit)
    if args.json:
        print(json.dumps([r.as_dict() for r in renderings], ensure_ascii=False, indent=2))
        return 0
    if not renderings:
        print(f"{args.term!r} does not occur in the memory")
    for r in renderings:
        print(f"{r.text}   ×{r.count}   score {r.score:.2f}   {r.script}")
        print(f"    e.g. {r.example.en}\n         {r.example.zh}")
    return 0


def _brief(b) -> str:
    return f"#{b.id} {b.document}" + (f" ({b.created})" if b.created else "")


def cmd_tm_qa(args) -> int:
    from align.store.qa import number_findings

    with open_memory(args.tm, readonly=True) as memory:
        units = list(memory.units(document=args.doc))
    found = number_findings(units)
    if args.json:
        print(json.dumps({"units": len(units), "findings": [f.as_dict() for f in found]}, ensure_ascii=False, indent=2))
        return 1 if found else 0
    for f in found:
        en_only = ", ".join(q.text for q in f.check.en_only) or "-"
        zh_only = ", ".join(q.text for q in f.check.zh_only) or "-"
        print(f"#{f.id} {f.document}\n  EN  {f.en}\n  ZH  {f.zh}\n  only in the English: {en_only}; "
              f"only in the Chinese: {zh_only}")
    print(f"{len(found)} of {len(units)} unit(s) state different numbers")
    return 1 if found else 0


def _print_clean_report(path, found) -> None:
    print(f"{path}: {found.units} unit(s)")
    print(f"duplicates: {len(found.duplicates)} group(s), {found.removable} unit(s) to remove, the newest of each kept")
    for d in found.duplicates:
        print(f"  keep {_brief(d.kept)}  EN {d.kept.en}\n{'':7s}ZH {d.kept.zh}")
        for b in d.removed:
            print(f"    remove {_brief(b)}")
    print(f"inconsistent translations: {len(found.inconsistent)}")
    for i in found.inconsistent:
        print(f"  {i.lang.upper()} {i.text}")
        for b in i.units:
            print(f"    {_brief(b)}  {b.zh if i.lang == 'en' else b.en}")
    print(f"empty or tag-only: {len(found.empty)}")
    for b in found.empty:
        print(f"  {_brief(b)}  EN {b.en!r}  ZH {b.zh!r}")
    print(f"source = target: {len(found.untranslated)}")
    for b in found.untranslated:
        print(f"  {_brief(b)}  {b.en}")


def cmd_tm_clean(args) -> int:
    from align.store.clean import backup_path, findings, remove_duplicates

    with open_memory(args.tm, readonly=args.dry_run) as memory:
        found = findings(memory)
        if not args.json:  # the report comes before any change
            _print_clean_report(args.tm, found)
            sys.stdout.flush()
        backup = backup_path(memory.path)
        removed = 0 if args.dry_run else remove_duplicates(memory, found, backup)
    if args.json:
        print(json.dumps({**found.as_dict(), "dry_run": args.dry_run, "removed": removed,
                          "backup": str(backup) if removed else None}, ensure_ascii=False, indent=2))
    elif args.dry_run:
        print(f"dry run: nothing changed; without --dry-run the {found.removable} duplicate(s) are removed "
              "after a copy of the memory is written beside it")
    elif removed:
        print(f"removed {removed} duplicate unit(s); the memory as it was: {backup} (copy it back to undo)")
    else:
        print("nothing to remove")
    return 0
