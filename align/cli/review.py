"""Commands on stored alignments: review (the browser page) and export (a stored alignment as TMX)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from align.cli.common import add_tm_option, fraction, open_memory


def add_review(commands) -> None:
    p = commands.add_parser("review", help="review and correct alignments in the browser",
                            description="Serve the review page: every aligned document in reading order, the "
                                        "doubtful units marked and n jumping to the next one (or least confident "
                                        "first); an overview map, find, notes; merge, split, shift, unpair, pair, "
                                        "edit, confirm, undo, and export TMX. Edits go straight into the memory and "
                                        "survive the next run.")
    add_tm_option(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this computer only; any other needs the printed token)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser (servers, scripts, tests)")
    p.set_defaults(handler=cmd_review)
    sub = p.add_subparsers(dest="review_command", metavar="ACTION")
    i = sub.add_parser("import", help="apply a reviewed Excel sheet (from `export STEM -o F.xlsx`) to the memory",
                       description="Apply what a reviewer changed in the sheet: text edits (one sentence a line), "
                                   "status 'confirmed' (or taken back), notes. If the alignment changed since the "
                                   "export, the conflicting rows are listed and nothing is applied. The import is "
                                   "one step that the review page can undo.")
    i.add_argument("sheet", type=Path, help="the .xlsx file")
    i.add_argument("--tm", type=Path, default=argparse.SUPPRESS, help="memory file (default: as for review)")
    i.set_defaults(handler=cmd_review_import)


def add_export(commands) -> None:
    p = commands.add_parser("export", help="write a stored (reviewed) alignment as TMX, XLIFF or Excel",
                            description="Write one aligned document as it stands after review, as TMX (default), "
                                        "XLIFF 1.2 (-o F.xlf: Chinese source, English target, state and confidence "
                                        "per unit) or an Excel sheet for reviewers (-o F.xlsx; read back by "
                                        "`review import`). In the TMX, edited and confirmed units carry confidence "
                                        "1.0 and an x-status prop.")
    p.add_argument("stem", help="the document's name, as `run` printed it (e.g. the file name without .en.txt)")
    p.add_argument("-o", "--output", type=Path,
                   help="the file to write: .tmx, .xlf/.xliff or .xlsx (default: STEM.tmx beside the memory)")
    p.add_argument("--confirmed-only", action="store_true", help="TMX: only units a person edited or confirmed")
    p.add_argument("--min-confidence", type=fraction, help="TMX: only units at or above this confidence (0 to 1)")
    p.add_argument("--review-threshold", type=fraction, default=None,
                   help="XLIFF and Excel: automatic units under this confidence are marked for review (default 0.5)")
    add_tm_option(p)
    p.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    from align.paths import check_outputs
    from align.pipeline import REVIEW_THRESHOLD, export_alignment
    from align.store.alignments import AlignmentStore

    out = args.output or args.tm.parent / f"{args.stem}.tmx"
    check_outputs([], [out], memory=args.tm)
    threshold = REVIEW_THRESHOLD if args.review_threshold is None else args.review_threshold
    with open_memory(args.tm, readonly=True) as memory:
        count = export_alignment(AlignmentStore(memory), args.stem, out, confirmed_only=args.confirmed_only,
                                 min_confidence=args.min_confidence, threshold=threshold)
    print(f"{count} {'row' if out.suffix.lower() == '.xlsx' else 'unit'}(s) → {out}")
    return 0


def cmd_review_import(args) -> int:
    from align.export.xlsx import review_import
    from align.paths import check_inputs
    from align.store.alignments import AlignmentStore

    check_inputs([args.sheet])
    with open_memory(args.tm) as memory:
        report = review_import(AlignmentStore(memory), args.sheet)
    for line in report.conflicts + report.problems:
        print(f"{args.sheet}: {line}", file=sys.stderr)
    if not report.applied:
        print(f"error: {len(report.conflicts)} conflicting and {len(report.problems)} invalid row(s); nothing was "
              f"applied to {report.stem} (export the document again and carry the changes over)", file=sys.stderr)
        return 1
    for line in report.edits:
        print(line)
    if report.notes_not_kept:
        print(f"note: {report.notes_not_kept} changed note(s) not applied: this memory keeps no notes on units yet")
    print(f"{report.stem}: {len(report.edits)} change(s) applied" +
          (f", now version {report.version} (one step to undo in the review page)" if report.edits else ""))
    return 0


def _check_port_free(host: str, port: int) -> None:
    import socket

    from align.errors import InputError

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port or --host") from None


def cmd_review(args) -> int:
    import logging
    import secrets
    import webbrowser

    import uvicorn

    from align.errors import InputError
    from align.review.app import create_app

    if not 0 < args.port < 65536:
        raise InputError(f"--port must be between 1 and 65535, not {args.port}")
    _check_port_free(args.host, args.port)
    local = args.host in ("127.0.0.1", "localhost", "::1")
    token = None if local else secrets.token_urlsafe(24)
    app = create_app(args.tm, token=token, host=args.host)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"review page: {url}   (memory {args.tm}; Ctrl+C to stop)", flush=True)
    if app.state.settings.readonly:
        print(f"{args.tm}: its folder is read-only: the memory is served for reading and edits are refused", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    failures = logging.StreamHandler()   # one line per failed request, with the time it failed
    failures.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logging.getLogger("align.review").addHandler(failures)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
