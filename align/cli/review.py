"""Commands on stored alignments: review (the browser page) and export (a stored alignment as TMX)."""

from __future__ import annotations

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


def add_export(commands) -> None:
    p = commands.add_parser("export", help="write the TMX of a stored (reviewed) alignment",
                            description="Write the TMX of one aligned document as it stands after review. "
                                        "Edited and confirmed units carry confidence 1.0 and an x-status prop.")
    p.add_argument("stem", help="the document's name, as `run` printed it (e.g. the file name without .en.txt)")
    p.add_argument("-o", "--output", type=Path, help="the TMX file to write (default: STEM.tmx beside the memory)")
    p.add_argument("--confirmed-only", action="store_true", help="only units a person edited or confirmed")
    p.add_argument("--min-confidence", type=fraction, help="only units at or above this confidence (0 to 1)")
    add_tm_option(p)
    p.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    from align.paths import check_outputs
    from align.pipeline import export_alignment
    from align.store.alignments import AlignmentStore

    out = args.output or args.tm.parent / f"{args.stem}.tmx"
    check_outputs([], [out], memory=args.tm)
    with open_memory(args.tm, readonly=True) as memory:
        count = export_alignment(AlignmentStore(memory), args.stem, out, confirmed_only=args.confirmed_only,
                                 min_confidence=args.min_confidence)
    print(f"{count} unit(s) → {out}")
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
    app = create_app(args.tm, token=token)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/" + (f"?token={token}" if token else "")
    print(f"review page: {url}   (memory {args.tm}; Ctrl+C to stop)", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
