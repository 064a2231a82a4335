"""Transcript structure: title line, speaker labels, paragraphs, and web residue.

A press-conference page is a title line, then turns: a speaker label (`Phoenix TV:`,
`马朝旭：`, on its own line or leading a paragraph) followed by paragraphs. Labels take the forms of
official transcripts: names and outlets (`China Daily:`, `AFP:`, `新华社记者：`), the questioner
and answerer of older transcripts (`Q:`/`A:`, `问：`/`答：`) and a publication in 《》
(`《环球时报》记者：`), with a full- or half-width colon, in Simplified or Traditional characters. Web residue such as
the pagination strip `<  1  2  3 … 12  >` is structure of the web page, not of the text, and is
left out (its line numbers are kept so the summary can say so).
"""

from __future__ import annotations

import re
from pathlib import Path

from align.document import Paragraph, Paragraphs

# A speaker label: a short name without sentence punctuation, ending in a colon.
_LABEL_EN = re.compile(
    r"^(?P<label>(?:[A-Z][\w.'’&-]*|of|the|and|de|van|von|al|bin)(?:[ \t]+(?:[A-Z][\w.'’&-]*|of|the|and|de|van|von|al|bin)){0,5})[ \t]*(?::(?:[ \t]+(?P<rest>\S.*))?|：[ \t]*(?P<rest_wide>\S.*)?)$"
)
# A name or title without sentence punctuation, optionally led by a publication in 《》.
_LABEL_ZH = re.compile(r"^(?P<label>(?:《[^》\s]{1,12}》)?[^\s，。！？；：:,.!?;“”\"《》()（）]{1,16}|《[^》\s]{1,12}》)"
                       r"[ \t]*[：:](?:[ \t]*(?P<rest>\S.*))?$")
# Pagination and navigation strips: only digits, arrows, ellipses and page words.
_RESIDUE = re.compile(
    r"^[\s\u00a0<>«»‹›|…·.\d]*(?:(?:Previous|Next|Prev|First|Last|Page|上一页|下一页|首页|末页|尾页|页)[\s\u00a0<>«»‹›|…·.\d]*)*$",
    re.IGNORECASE,
)
_DATE_HINT = re.compile(r"\b(19|20)\d\d\b|\d{4}年|\d{1,2}月\d{1,2}日")
_SENTENCE_END = re.compile(r"[.!?。！？…」”\"]$")


def is_residue(line: str) -> bool:
    """A pagination or navigation strip: page numbers, arrows and page words, nothing else."""
    stripped = line.strip()
    if not _RESIDUE.fullmatch(stripped):
        return False
    numbers = re.findall(r"\d+", stripped)
    has_navigation = bool(re.search(r"[<>«»‹›|]|[^\W\d_]", stripped))
    return has_navigation or len(numbers) >= 3


def speaker_label(line: str, lang: str) -> tuple[str, str] | None:
    """(label, rest-of-line) when the line starts with a speaker label, else None."""
    pattern = _LABEL_ZH if lang == "zh" else _LABEL_EN
    match = pattern.match(line.strip())
    if not match:
        return None
    label = match.group("label").strip()
    rest = (match.group("rest") or match.groupdict().get("rest_wide") or "").strip()
    if lang == "en" and label.lower() in _NOT_SPEAKERS:
        return None
    if lang == "zh" and (_ZH_SAYING.search(label) or rest and (len(label) > 10 or _ZH_SENTENCE_CHARS.search(label))):
        return None  # "中方立场很明确：…", "会议指出：…" are sentences with a colon, not speakers
    return label, rest


# Words that end in a colon at the head of a paragraph but are not speakers.
_NOT_SPEAKERS = {"note", "notes", "example", "examples", "source", "sources", "update", "editor's note",
                 "question", "answer", "first", "second", "third", "finally"}


# Function words that occur in Chinese clauses but hardly ever in a name or a title like 凤凰卫视记者.
_ZH_SENTENCE_CHARS = re.compile(r"[的了是说說在我你他她很都也就要这這那]")
# Verbs that introduce what was said; a label never holds one (会议指出：, 他强调：).
_ZH_SAYING = re.compile(r"指出|表示|强调|強調|认为|認為|宣布|介绍|介紹|报道|報道|提到|写道|寫道|回答说|回答說")


def _looks_like_title(line: str) -> bool:
    return not _SENTENCE_END.search(line.strip()) or bool(_DATE_HINT.search(line) and "|" in line)


def parse_transcript(text: str, path: Path, lang: str) -> Paragraphs:
    """Split decoded text into title, turns and paragraphs (pure function of the text)."""
    items: list[Paragraph] = []
    dropped: list[int] = []
    title: str | None = None
    turn = 0
    speaker: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        if is_residue(line):
            dropped.append(number)
            continue
        if title is None and not items and _looks_like_title(line) and speaker_label(line, lang) is None:
            title = line
            items.append(Paragraph(text=line, turn=0, speaker=None, line=number, is_title=True))
            continue
        labelled = speaker_label(line, lang)
        if labelled is not None:
            speaker, rest = labelled
            turn += 1
            if not rest:
                continue
            line = rest
        items.append(Paragraph(text=line, turn=turn, speaker=speaker, line=number))
    return Paragraphs(path=path, lang=lang, items=tuple(items), title=title, dropped_lines=tuple(dropped))
