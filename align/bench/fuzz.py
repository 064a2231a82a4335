"""Property-based checks with hypothesis, so the next defect is found by a machine.

Each property is a hypothesis test built by a function of a case counter. `tests/test_fuzz.py`
runs every property with a few hundred examples; `python -m align bench fuzz --examples N` runs
them with N each and reports how many cases ran. The CLI's property is given the CLI's entry point. The properties:

- ingestion: arbitrary bytes or Unicode text in a transcript file give a Document or our InputError;
- segmentation: no non-space character is lost or added;
- TMX: write → read returns every segment, prop and note unchanged but for the characters XML 1.0
  forbids;
- tm import: a randomly mutated TMX is imported whole or not at all, and what was imported exports
  as valid TMX;
- CLI: random arguments and files give an exit code and at most one-line errors, never a traceback
  or a raw exception name.

hypothesis is a test dependency (`pip install -e .[test]`); only `bench fuzz` and the tests import this module.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from align.errors import InputError


@dataclass(frozen=True)
class FuzzReport:
    cases: dict[str, int]      # property → examples run
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def as_dict(self) -> dict:
        return {"cases": self.cases, "total": self.total, "failed": 0, "seconds": round(self.seconds, 1)}


def _strategies():
    from hypothesis import strategies as st

    return st


def ingestion(counter: list[int]) -> Callable:
    from hypothesis import given

    st = _strategies()
    content = st.one_of(st.binary(max_size=2000), st.text(max_size=1000).map(lambda t: t.encode("utf-8", "surrogatepass")),
                        st.text(alphabet=st.sampled_from("Q: A:问：答：你好。世界！Hello. World!\n\r\t \x00\ufeff《》"),
                                max_size=300).map(lambda t: t.encode("utf-8")),
                        st.text(max_size=500).map(lambda t: t.encode("utf-16-le", "surrogatepass")))

    @given(data=content, lang=st.sampled_from(["en", "zh"]))
    def check(data: bytes, lang: str) -> None:
        from align.ingest import load_document

        counter[0] += 1
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "t.txt"
            path.write_bytes(data)
            try:
                document = load_document(path, lang)
            except InputError as exc:
                assert "\n" not in str(exc), str(exc)
                return
            assert document.sentences
            for sentence in document.sentences:
                assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", sentence.text), sentence.text

    return check


def segmentation(counter: list[int]) -> Callable:
    from hypothesis import given

    st = _strategies()
    text = st.one_of(st.text(max_size=600),
                     st.text(alphabet=st.sampled_from(list("ab Mr. U.S. 3.5 ... …!?。！？“”\"'()\n\t\u3000你好")), max_size=300))

    @given(text=text, lang=st.sampled_from(["en", "zh"]))
    def check(text: str, lang: str) -> None:
        from align.segment import split_overlong, split_sentences

        counter[0] += 1
        sentences = split_sentences(text, lang)
        kept = [c for c in "".join(sentences) if not c.isspace()]
        assert kept == [c for c in text if not c.isspace()]
        assert all(s.strip() for s in sentences)
        pieces = [piece for sentence in sentences for piece in split_overlong(sentence, lang, limit=40)]
        assert [c for c in "".join(pieces) if not c.isspace()] == kept
        assert all(0 < len(piece) <= 40 for piece in pieces)

    return check


def tmx_round_trip(counter: list[int]) -> Callable:
    from hypothesis import given

    from align.export.tmx import _FORBIDDEN

    st = _strategies()
    words = st.text(max_size=80)
    unit = st.tuples(words, words, st.lists(st.tuples(st.text(min_size=1, max_size=10), words), max_size=3),
                     st.lists(words, max_size=2))

    @given(units=st.lists(unit, min_size=1, max_size=5))
    def check(units) -> None:
        from align.export.tmx import TmxUnit, read_tmx, write_tmx

        counter[0] += 1
        written = [TmxUnit(segments={"en-US": en, "zh-CN": zh}, props=list(props), notes=list(notes))
                   for en, zh, props, notes in units]
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = Path(folder) / "t.tmx"
            write_tmx(path, written)
            read = read_tmx(path)
        clean = lambda text: _FORBIDDEN.sub("", text)  # noqa: E731
        assert len(read) == len(written)
        for before, after in zip(written, read):
            assert after.segments == {lang: clean(text) for lang, text in before.segments.items()}
            assert after.props == [(clean(key), clean(value)) for key, value in before.props]
            assert after.notes == [clean(note) for note in before.notes]

    return check


_BASE_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
 srclang="en" datatype="plaintext"/><body>
<tu tuid="1" changedate="20220101T000000Z"><prop type="x-confidence">0.9</prop><note>ok</note>
 <tuv xml:lang="en"><seg>Peace <bpt i="1">&lt;b&gt;</bpt>now<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
 <tuv xml:lang="zh"><seg>现在就要和平。</seg></tuv></tu>
<tu><tuv xml:lang="en-GB"><seg>Thank you &amp; goodbye!</seg></tuv><tuv xml:lang="zh-TW"><seg>謝謝！</seg></tuv></tu>
<tu><prop type="x-speaker">Ma Zhaoxu</prop><tuv xml:lang="en"><seg>Next question.</seg></tuv><tuv xml:lang="zh-CN"><seg>下一个问题。</seg></tuv></tu>
</body></tmx>
"""


def mutated_import(counter: list[int]) -> Callable:
    from hypothesis import given

    st = _strategies()
    base = _BASE_TMX.encode("utf-8")
    edit = st.tuples(st.integers(0, len(base)), st.integers(0, 8), st.binary(max_size=8))

    @given(edits=st.lists(edit, min_size=1, max_size=4))
    def check(edits) -> None:
        from align.export.tmx import write_tmx
        from align.store.memory import Memory

        counter[0] += 1
        data = bytearray(base)
        for at, cut, insert in edits:
            data[at:at + cut] = insert
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path = Path(folder) / "m.tmx"
            path.write_bytes(bytes(data))
            with Memory(Path(folder) / "m.sqlite") as memory:
                memory.add(_seed_units(), "seed")
                before = _contents(memory)
                try:
                    added = memory.import_tmx(path)
                except InputError:
                    assert _contents(memory) == before  # nothing of the file was kept
                    return
                after = _contents(memory)
                assert len(after) == len(before) + added and before <= after
                write_tmx(Path(folder) / "out.tmx", [unit.as_tmx_unit() for unit in memory.units()])  # exports again

    return check


def _seed_units():
    from align.export.tmx import TmxUnit

    return [TmxUnit(segments={"en-US": "Seed unit.", "zh-CN": "种子单元。"})]


def _contents(memory) -> set:
    return set(memory.db.execute("SELECT en, zh, document, props, notes, extra FROM units"))


_FILES = {"en.txt": "Ma Zhaoxu:\nThank you. Peace and development.\n".encode(),
          "zh.txt": "马朝旭：\n谢谢。和平与发展。\n".encode(),
          "bin.txt": bytes(range(256)), "empty.txt": b"", "m.tmx": _BASE_TMX.encode(),
          "bad.tmx": _BASE_TMX.encode()[:200], "junk.sqlite": b"SQLite format 3\x00" + b"\x01" * 200,
          "x.align": b"[0]:[0]:0.5\n[x]\n"}
# What each command takes: positional kinds and options with the kind of their value (None: a flag).
_COMMANDS = {
    ("run",): ((), {"--en": "file", "--zh": "file", "-o": "out", "--tm": "tm", "--corpus": "dir", "--out-dir": "dir",
                    "--review-threshold": "number", "--json": None}),
    ("align-lines",): (("file", "file"), {"-o": "out", "--any-languages": None}),
    ("eval",): ((), {"--gold": "dir", "--test": "dir", "--json": None}),
    ("tm", "import"): (("file", "file"), {"--tm": "tm"}),
    ("tm", "export"): ((), {"-o": "out", "--min-confidence": "number", "--doc": "text", "--tm": "tm"}),
    ("tm", "search"): (("text",), {"--limit": "number", "--tm": "tm", "--json": None}),
    ("lookup",): (("text",), {"--limit": "number", "--tm": "tm", "--json": None}),
    ("terms", "extract"): ((), {"-o": "out", "--tsv": "out", "--min-count": "number", "--tm": "tm", "--json": None}),
}

_WORKING = {("run",): ["--en", "en.txt", "--zh", "zh.txt", "-o", "new.tmx"], ("align-lines",): ["zh.txt", "en.txt", "-o", "a"],
            ("eval",): ["--gold", "dir", "--test", "dir"], ("tm", "import"): ["m.tmx"], ("tm", "export"): ["-o", "new.tmx"],
            ("tm", "search"): ["peace"], ("lookup",): ["peace"], ("terms", "extract"): ["-o", "g.tbx"]}


def cli(counter: list[int], main: Callable[[list[str]], int]) -> Callable:
    from hypothesis import given

    st = _strategies()
    kinds = {
        "file": st.sampled_from([*sorted(_FILES), "missing.txt", "dir", "memory.sqlite"]),
        "out": st.sampled_from(["new.tmx", "dir", "dir/new.tmx", "deep/er/new.tmx", "en.txt", "memory.sqlite",
                                "/proc/x.tmx", "bin.txt/x.tmx", "g.txt"]),
        "tm": st.sampled_from(["memory.sqlite", "junk.sqlite", "new.sqlite", "en.txt", "dir", "m.tmx"]),
        "dir": st.sampled_from([".", "dir", "missing", "en.txt"]),
        "number": st.one_of(st.sampled_from(["-1", "0", "0.5", "1", "7", "nan", "inf", "1e9", "x"]),
                            st.integers(-5, 10**6).map(str)),
        "text": st.one_of(st.sampled_from(["%", "'", "_", "peace", "和平", "Peace and", " ", "\x00", "a\ud800"]),
                          st.text(max_size=20)),
    }

    @st.composite
    def arguments(draw) -> list[str]:
        command = draw(st.sampled_from(sorted(_COMMANDS)))
        positional, options = _COMMANDS[command]
        if draw(st.booleans()):  # half the time from a command that works, so the work itself is reached
            argv = list(command) + _WORKING[command]
        else:
            argv = list(command) + [draw(kinds[kind]) for kind in positional[:draw(st.integers(0, len(positional)))]]
        for option in draw(st.lists(st.sampled_from(sorted(options)), max_size=6)):
            argv.append(option)
            if options[option]:
                argv.append(draw(kinds[options[option]]))
        if draw(st.booleans()):  # now and then a stray word anywhere
            argv.insert(draw(st.integers(0, len(argv))), draw(st.one_of(kinds["text"], kinds["file"], kinds["number"])))
        return argv

    memory = _memory_file()

    @given(argv=arguments())
    def check(argv: list[str]) -> None:
        counter[0] += 1
        if argv[0] in ("run", "align-lines"):
            argv = argv + ["--method", "length"]  # the cheap aligner: the CLI's handling is under test
        with tempfile.TemporaryDirectory() as folder, _inside(folder):
            (Path(folder) / "dir").mkdir()
            for name, data in _FILES.items():
                (Path(folder) / name).write_bytes(data)
            (Path(folder) / "memory.sqlite").write_bytes(memory)
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = main(argv)
            except SystemExit as exc:  # argparse: usage errors
                code = exc.code
        text = err.getvalue()
        assert code in (0, 2), (argv, code, text)
        assert "Traceback" not in text, (argv, text)
        errors = [line for line in text.splitlines() if line.startswith("error:") or ": error:" in line]
        assert len(errors) == (code == 2), (argv, text)
        assert not any(re.search(r"error: [A-Z]\w*(Error|Exception)\b", line) for line in errors), (argv, text)

    return check


def _memory_file() -> bytes:
    """The bytes of a small memory holding the base TMX's units (built once per property run)."""
    from align.export.tmx import iter_tmx
    from align.store.memory import Memory

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "m.tmx"
        source.write_text(_BASE_TMX, encoding="utf-8")
        with Memory(Path(folder) / "memory.sqlite") as memory:
            memory.add(iter_tmx(source), "m.tmx")
            memory.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (Path(folder) / "memory.sqlite").read_bytes()


@contextlib.contextmanager
def _inside(folder: str):
    """Run with `folder` as the working directory (the CLI's defaults are relative paths)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def properties(main: Callable[[list[str]], int]) -> dict[str, Callable[[list[int]], Callable]]:
    """The builder of each property by name. The CLI's runs `main` (align.cli.main), passed in by the
    caller so that this module, which the CLI runs, does not import the CLI."""
    return {"ingestion": ingestion, "segmentation": segmentation, "tmx_round_trip": tmx_round_trip,
            "mutated_import": mutated_import, "cli": lambda counter: cli(counter, main)}


PROPERTIES = tuple(properties(main=None))  # their names


def run_property(name: str, examples: int, main: Callable[[list[str]], int], seed: int | None = None) -> int:
    """Run one property with `examples` examples, the CLI's with `main`; returns how many ran. A failure
    raises hypothesis's falsifying example (an AssertionError or the unexpected exception)."""
    from hypothesis import HealthCheck, settings
    from hypothesis import seed as fixed_seed

    counter = [0]
    test = settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
                    suppress_health_check=list(HealthCheck))(properties(main)[name](counter))
    if seed is not None:
        test = fixed_seed(seed)(test)
    test()
    return counter[0]


def run_fuzz(examples: int, main: Callable[[list[str]], int], names: list[str] | None = None,
             seed: int | None = None) -> FuzzReport:
    """Every property (or those named) with `examples` examples each. InputError for an unknown name
    or when hypothesis is not installed."""
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        raise InputError("hypothesis is not installed; pip install -e .[test] and try again") from None
    unknown = sorted(set(names or []) - set(PROPERTIES))
    if unknown:
        raise InputError(f"unknown fuzz propert{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}; "
                         f"choose from {', '.join(PROPERTIES)}")
    start = time.perf_counter()
    cases = {name: run_property(name, examples, main, seed) for name in (names or PROPERTIES)}
    return FuzzReport(cases, time.perf_counter() - start)
