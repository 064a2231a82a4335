"""XLIFF: a stored alignment written as XLIFF 1.2 for CAT tools, and bilingual XLIFF 1.2 and 2.0
files read as translation units for the memory.

Writing: Chinese source, English target, one `<trans-unit>` per bead that has Chinese (its id is the
bead's number, 1-based, as in the spreadsheet); the target's `state` says how far it got (confirmed:
`signed-off` and `approved="yes"`; edited by a person: `final`; automatic: `translated` at or above the
review threshold, `needs-review-translation` under it), `extradata` holds `x-confidence=0.8732`, a
context of type `x-speaker` the speaker, a `<note from="reviewer">` the bead's note. English
sentences without Chinese cannot be a unit (XLIFF units have a source) and are counted in the
header's note. The tree is checked against the bundled schema (`xliff12.xsd`) before it is written.

Reading: the source and target of every translated unit (segments of a 2.0 unit, or `mrk
mtype="seg"` pieces of a 1.2 one, joined), its notes, state and, in our own files, confidence and
speaker, as `TmxUnit`s that `Memory.add` stores like TMX units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from lxml import etree

from align import __version__
from align.errors import InputError
from align.export.schema import Schema
from align.export.tmx import TmxUnit, alignment_props, xml_safe
from align.store.edits import CONFIRMED, EDITED

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF_SCHEMA = Schema("align.export", "xliff12.xsd", "XLIFF 1.2")
XLIFF_SUFFIXES = (".xlf", ".xliff")


def bead_note(bead) -> str:
    """The reviewer's note on a bead ('' when the memory keeps no notes)."""
    return getattr(bead, "note", "") or ""


def target_state(bead, threshold: float) -> str:
    """The XLIFF 1.2 state of a bead's target: signed-off, final, translated or needs-review-translation."""
    if bead.status == CONFIRMED:
        return "signed-off"
    if bead.status == EDITED:
        return "final"
    return "translated" if bead.confidence >= threshold else "needs-review-translation"


def _element(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{XLIFF12}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def xliff_tree(stored, threshold: float) -> tuple[etree._ElementTree, int]:
    """The XLIFF 1.2 tree of a stored alignment (checked against the schema) and how many of its
    units it holds."""
    alignment = stored.alignment
    root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12}, version="1.2")
    file = _element(root, "file", original=stored.zh_file, source_language=stored.zh_lang,
                    target_language=stored.en_lang, datatype="plaintext", tool_id="align",
                    date=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    header = _element(file, "header")
    _element(header, "tool", tool_id="align", tool_name="align", tool_version=__version__)
    english_only = sum(len(b.en) for b in alignment.beads if not b.zh)
    _element(header, "note", f"{stored.stem}: {stored.zh_file} aligned with {stored.en_file} by {stored.aligner}, "
                             f"version {stored.version}; {english_only} English sentence(s) without Chinese are not "
                             "in this file", **{"from": "align"})
    body = _element(file, "body")
    units = 0
    for number, bead in enumerate(alignment.beads, start=1):
        if not bead.zh:
            continue
        unit = _element(body, "trans-unit", id=str(number), extradata=f"x-confidence={bead.confidence:.4f}")
        _element(unit, "source", alignment.text(bead, "zh"), **{XML_LANG: stored.zh_lang})
        if bead.en:
            _element(unit, "target", alignment.text(bead, "en"), state=target_state(bead, threshold),
                     **{XML_LANG: stored.en_lang})
            if bead.status == CONFIRMED:
                unit.set("approved", "yes")
        speaker = alignment.zh[bead.zh[0]].speaker
        if speaker:
            group = _element(unit, "context-group", purpose="information")
            _element(group, "context", speaker, context_type="x-speaker")
        if note := bead_note(bead):
            _element(unit, "note", note, **{"from": "reviewer"})
        units += 1
    tree = etree.ElementTree(root)
    XLIFF_SCHEMA.validate(tree, f"{stored.stem}.xlf")
    return tree, units


def write_xliff(stored, path: Path, threshold: float) -> int:
    """Write a stored alignment as XLIFF 1.2 (atomically, schema-checked); returns how many units."""
    tree, units = xliff_tree(stored, threshold)
    XLIFF_SCHEMA.write(path, tree)
    return units


def xliff_bytes(stored, threshold: float) -> bytes:
    """The XLIFF 1.2 file of a stored alignment, for a download."""
    tree, _ = xliff_tree(stored, threshold)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# reading

_CODES_12 = {f"{{{XLIFF12}}}{tag}" for tag in ("bpt", "ept", "ph", "it")}   # native codes, not text


def _plain(element, codes: set[str]) -> str:
    """The text of a segment without its inline codes' native data (a <cp> of 2.0 is its character)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{{{XLIFF20}}}cp":
            parts.append(chr(int(child.get("hex", "0"), 16)))
        elif child.tag not in codes and isinstance(child.tag, str):
            parts.append(_plain(child, codes))
        parts.append(child.tail or "")
    return "".join(parts)


@dataclass(frozen=True)
class XliffUnits:
    units: list[TmxUnit]
    untranslated: int      # units without a target (nothing to remember)


def _unit(source_lang: str, target_lang: str, source: str, target: str, notes: list[str], state: str | None,
          document: str, tuid: str | None, line: int, confidence: str | None = None,
          speaker: str | None = None) -> TmxUnit:
    props = alignment_props(None if confidence is None else float(confidence), None, document, speaker)
    if state:
        props.append(("x-state", state))
    return TmxUnit(segments={source_lang: source.strip(), target_lang: target.strip()}, props=props,
                   notes=[n for n in notes if n], tuid=tuid, line=line)


def _units_12(root, path: Path) -> Iterator[TmxUnit | None]:
    ns = f"{{{XLIFF12}}}"
    for file in root.iter(f"{ns}file"):
        source_lang = file.get("source-language")
        target_lang = file.get("target-language") or next(
            (t.get(XML_LANG) for t in file.iter(f"{ns}target") if t.get(XML_LANG)), None)
        if not source_lang or not target_lang:
            raise InputError(f"{path}:{file.sourceline}: <file> without source-language and target-language; a "
                             "bilingual XLIFF names both")
        document = file.get("original") or path.name
        for unit in file.iter(f"{ns}trans-unit"):
            source, target = unit.find(f"{ns}source"), unit.find(f"{ns}target")
            if unit.get("translate") == "no" or source is None or target is None or not _plain(target, _CODES_12).strip():
                yield None
                continue
            notes = [n.text or "" for n in unit.findall(f"{ns}note")]
            extra = re.search(r"x-confidence=([01](?:\.\d+)?)\b", unit.get("extradata", ""))
            speaker = unit.find(f"{ns}context-group/{ns}context[@context-type='x-speaker']")
            pieces = _segment_pairs(unit, source, target)
            for k, (src, tgt) in enumerate(pieces):
                yield _unit(source_lang, target_lang, src, tgt, notes if k == 0 else [], target.get("state"),
                            document, unit.get("id") if len(pieces) == 1 else f"{unit.get('id')}.{k + 1}",
                            unit.sourceline or 0, extra.group(1) if extra else None,
                            speaker.text if speaker is not None else None)


def _segment_pairs(unit, source, target) -> list[tuple[str, str]]:
    """A 1.2 unit's (source, target) texts: per `mrk mtype="seg"` when the unit is segmented and the
    target has the same segments, else the whole source and target."""
    ns = f"{{{XLIFF12}}}"
    seg_source = unit.find(f"{ns}seg-source")
    if seg_source is not None:
        sources = {m.get("mid"): _plain(m, _CODES_12) for m in seg_source.iter(f"{ns}mrk") if m.get("mtype") == "seg"}
        targets = {m.get("mid"): _plain(m, _CODES_12) for m in target.iter(f"{ns}mrk") if m.get("mtype") == "seg"}
        if sources and set(sources) == set(targets):
            return [(sources[mid], targets[mid]) for mid in sources if targets[mid].strip()]
    return [(_plain(source, _CODES_12), _plain(target, _CODES_12))]


def _units_20(root, path: Path) -> Iterator[TmxUnit | None]:
    ns = f"{{{XLIFF20}}}"
    source_lang, target_lang = root.get("srcLang"), root.get("trgLang")
    if not source_lang or not target_lang:
        raise InputError(f"{path}:{root.sourceline}: <xliff> without srcLang and trgLang; a bilingual XLIFF 2.0 "
                         "names both")
    codes: set[str] = set()      # 2.0 inline codes (<ph/>, <sc/>, <ec/>) hold no text; <pc>, <mrk> hold the text
    for file in root.iter(f"{ns}file"):
        document = file.get("original") or path.name
        for unit in file.iter(f"{ns}unit"):
            parts = [p for p in unit if p.tag in (f"{ns}segment", f"{ns}ignorable")]
            sources = [p.find(f"{ns}source") for p in parts]
            targets = [p.find(f"{ns}target") for p in parts]
            if unit.get("translate") == "no" or not parts or any(t is None for t in targets) or \
                    not "".join(_plain(t, codes) for t in targets).strip():
                yield None
                continue
            states = [p.get("state") for p in parts if p.tag == f"{ns}segment" and p.get("state")]
            notes = [n.text or "" for n in unit.iterfind(f"{ns}notes/{ns}note")]
            yield _unit(source_lang, target_lang, "".join(_plain(s, codes) for s in sources if s is not None),
                        "".join(_plain(t, codes) for t in targets), notes, min(states, key=_STATE_ORDER.index)
                        if states and set(states) <= set(_STATE_ORDER) else None, document, unit.get("id"),
                        unit.sourceline or 0)


_STATE_ORDER = ["initial", "translated", "reviewed", "final"]   # a unit is as far as its least advanced segment


def read_xliff(path: Path) -> XliffUnits:
    """The translated units of a bilingual XLIFF 1.2 or 2.0 file; InputError when it is not XLIFF or
    does not name its two languages."""
    path = Path(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML ({exc.msg}); fix the file or export it again") from None
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or namespace not in (XLIFF12, XLIFF20):
        raise InputError(f"{path}: not XLIFF 1.2 or 2.0 (the root is <{etree.QName(root).localname}> in "
                         f"{namespace or 'no namespace'}); export the project as XLIFF 1.2 or 2.0")
    found = list(_units_12(root, path) if namespace == XLIFF12 else _units_20(root, path))
    units = [u for u in found if u is not None]
    return XliffUnits(units, untranslated=len(found) - len(units))


def import_xliff(memory, path: Path, progress: bool = False) -> tuple[int, int]:
    """Add the translated units of an XLIFF file to `memory` (all or none): (new units, units without
    a target that were skipped)."""
    found = read_xliff(path)
    return memory.add(found.units, Path(path).name, progress=progress), found.untranslated
