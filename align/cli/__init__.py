"""The command line: `python -m align COMMAND …`. Parsing and printing only; the work is elsewhere.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input (one clear line on stderr), 141 when the
reader of the output went away (`… | head`), as for Unix tools killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from align import __version__
from align.cli import aligning, match, memory, review
from align.errors import InputError

DESCRIPTION = """English–Chinese sentence alignment for translators.
Reads English and Chinese versions of the same document, aligns them sentence by sentence,
scores every pair, and writes TMX translation memories that OmegaT, Trados and memoQ import."""


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by an object without a descriptor (tests)
        pass


def _encodable(arg: str) -> bool:
    """True when `arg` can come from a command line (UTF-8, or other bytes escaped as surrogates)."""
    try:
        arg.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m align", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"align {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    aligning.add_run(commands)
    aligning.add_align_lines(commands)
    aligning.add_eval(commands)
    aligning.add_bench(commands, main)
    memory.add_tm(commands)
    memory.add_lookup(commands)
    memory.add_terms(commands)
    match.add_analyze(commands)
    review.add_export(commands)
    review.add_review(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # file names that are not UTF-8 print as their own bytes
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    for arg in argv:  # no shell passes these; a program calling main() might
        if "\x00" in arg or not _encodable(arg):
            print(f"error: the argument {arg!r} holds a NUL or a lone surrogate character; remove it", file=sys.stderr)
            return 2
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a library's ResourceWarning or DeprecationWarning is not the user's to act on
        warnings.simplefilter("always", UserWarning)  # ours: a line of the input that was read another way
        warnings.showwarning = lambda message, *rest, **kw: print(f"warning: {message}", file=sys.stderr)
        try:
            code = args.handler(args)
            sys.stdout.flush()  # a closed pipe is found here, not in the interpreter's exit
            return code
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # `… | head` closed the pipe: stop quietly, as Unix tools do
            _silence_stdout()
            return 141
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 1
        except Exception as exc:  # noqa: BLE001 — the CLI's last line of defence
            print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1

