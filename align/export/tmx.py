"""TMX 1.4b: writing (atomic, schema-valid), streaming reading, and validation.

A unit is a `TmxUnit`: one segment per language plus TMX `<prop>`s and `<note>`s. Segments hold
plain text; when a foreign TMX carries inline markup (`<bpt>`, `<ph>` …) the reader keeps the
`<seg>` XML in `markup` and the plain text in `segments`. The TMX 1.4 attributes of `<tu>` and
`<tuv>` (`changedate`, `creationid`, `usagecount` …) are kept too, so a foreign TMX read and written
again loses nothing (the file's `<header>` is the writer's own).
"""

from __future__ import annotations

import re
import warnings
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from align import __version__
from align.errors import InputError
from align.export.schema import Schema

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 does not allow (C0 controls but tab/newline/CR, surrogates, U+FFFE/FFFF).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class TmxUnit:
    segments: dict[str, str]                                  # xml:lang → plain text
    props: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    markup: dict[str, str] = field(default_factory=dict)      # xml:lang → <seg> inner XML, when inline tags exist
    tuid: str | None = None
    creationdate: str | None = None
    line: int = 0                                             # where the reader found it
    attributes: dict[str, str] = field(default_factory=dict)  # other TMX attributes of <tu> (changedate …)
    tuv_attributes: dict[str, dict[str, str]] = field(default_factory=dict)  # xml:lang → <tuv> attributes

    def prop(self, name: str) -> str | None:
        return next((value for key, value in self.props if key == name), None)


@dataclass(frozen=True)
class TmxHeader:
    srclang: str = "en-US"
    adminlang: str = "en-US"
    creationtool: str = "align"
    creationtoolversion: str = __version__
    datatype: str = "plaintext"
    segtype: str = "sentence"
    o_tmf: str = "align"


def alignment_props(confidence: float | None, aligner: str | None, document: str | None,
                    speaker: str | None) -> list[tuple[str, str]]:
    """The <prop>s this tool puts on a unit; unknown values are left out."""
    values = (("x-confidence", None if confidence is None else f"{confidence:.4f}"), ("x-aligner", aligner),
              ("x-document", document), ("x-speaker", speaker))
    return [(key, value) for key, value in values if value]


def tmx_date(moment: datetime | None = None) -> str:
    """TMX's basic ISO 8601 form in UTC: 20221031T093000Z."""
    return (moment or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def xml_safe(text: str, where: str = "") -> str:
    """Remove characters XML 1.0 forbids, with a warning saying how many and where."""
    cleaned, count = _FORBIDDEN.subn("", text)
    if count:
        warnings.warn(f"{where}: removed {count} character(s) that XML 1.0 does not allow", stacklevel=2)
    return cleaned


def build_tmx(units: Iterable[TmxUnit], header: TmxHeader = TmxHeader(), where: str = "") -> etree._ElementTree:
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": header.creationtool, "creationtoolversion": header.creationtoolversion,
        "segtype": header.segtype, "o-tmf": header.o_tmf, "adminlang": header.adminlang,
        "srclang": header.srclang, "datatype": header.datatype, "creationdate": tmx_date(),
    })
    body = etree.SubElement(root, "body")
    for number, unit in enumerate(units, start=1):
        tu = etree.SubElement(body, "tu", tuid=xml_safe(unit.tuid or str(number), where))
        if unit.creationdate:
            tu.set("creationdate", unit.creationdate)
        for key, value in unit.attributes.items():
            tu.set(key, xml_safe(value, where))
        for note in unit.notes:
            etree.SubElement(tu, "note").text = xml_safe(note, where)
        for key, value in unit.props:
            etree.SubElement(tu, "prop", type=xml_safe(key, where)).text = xml_safe(value, where)
        for lang, text in unit.segments.items():
            attributes = {key: xml_safe(value, where) for key, value in unit.tuv_attributes.get(lang, {}).items()}
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang, **attributes})
            if lang in unit.markup:
                seg = etree.fromstring(f"<seg>{unit.markup[lang]}</seg>")
                tuv.append(seg)
            else:
                etree.SubElement(tuv, "seg").text = xml_safe(text, f"{where} unit {number}")
    return etree.ElementTree(root)


TMX_SCHEMA = Schema("align.export", "tmx14.rng", "TMX 1.4b")


def write_tmx(path: Path, units: Iterable[TmxUnit], header: TmxHeader = TmxHeader()) -> None:
    """Write atomically: an existing file is replaced only by a complete, valid TMX."""
    TMX_SCHEMA.write(path, build_tmx(units, header, where=str(path)))


def tmx_tree(units: Iterable[TmxUnit], header: TmxHeader, where: Path | str) -> etree._ElementTree:
    """A TMX tree checked against the schema, for a caller that writes it together with other files."""
    tree = build_tmx(units, header, where=str(where))
    TMX_SCHEMA.validate(tree, str(where))
    return tree


def tmx_bytes(units: Iterable[TmxUnit], header: TmxHeader = TmxHeader(), where: str = "<tmx>") -> bytes:
    """A schema-valid TMX document as bytes (for a download)."""
    return etree.tostring(tmx_tree(units, header, where), xml_declaration=True, encoding="UTF-8", pretty_print=True)



def validate_tmx_tree(tree: etree._ElementTree, where: str = "<tmx>") -> None:
    TMX_SCHEMA.validate(tree, where)


def validate_tmx(path: Path) -> None:
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML: {exc.msg}") from None
    validate_tmx_tree(tree, str(path))


def _plain(seg: etree._Element) -> str:
    """Text of a <seg> as a reader sees it: inline codes (bpt/ept/ph/it/ut) dropped, <hi> kept."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag in ("hi", "sub"):
            parts.append(_plain(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inner_xml(seg: etree._Element) -> str:
    from xml.sax.saxutils import escape

    return escape(seg.text or "") + "".join(etree.tostring(child, encoding="unicode", with_tail=True) for child in seg)


def iter_tmx(path: Path) -> Iterator[TmxUnit]:
    """Stream the units of a TMX file in flat memory. InputError names the file and line of a fault."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    # Entities declared in the file's own DTD are expanded (&co; → its text); external ones (a file or
    # URL) never are, and nothing is fetched from the network.
    context = etree.iterparse(str(path), events=("start", "end"), huge_tree=True, resolve_entities="internal",
                              no_network=True, load_dtd=False)
    try:
        _, root = next(context)
        if root.tag != "tmx":
            raise InputError(f"{path}:{root.sourceline}: the root element is <{root.tag}>, not <tmx>; "
                             "is this a TMX file?")
        for event, element in context:
            if event != "end" or element.tag != "tu":
                continue
            yield _unit(element, path)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        hint = ("; only entities declared in the file's own DTD are expanded (external ones are never read)"
                if re.match(r"Entity '.*' not defined", exc.msg) else "")
        raise InputError(f"{path}:{exc.lineno}: not well-formed XML: {exc.msg}{hint}") from None
    except (LookupError, ValueError) as exc:  # e.g. an unknown encoding declaration
        raise InputError(f"{path}: cannot read the file: {exc}") from None


# TMX 1.4b attributes kept from <tu> and <tuv> (besides tuid, creationdate and xml:lang), with the
# shape the schema demands of their values; others are not TMX and are dropped.
_DATE = re.compile(r"\d{8}T\d{6}Z")
_ADMIN = {"o-encoding": None, "creationid": None, "changedate": _DATE, "changeid": None, "datatype": None,
          "usagecount": re.compile(r"\d+"), "lastusagedate": _DATE, "creationtool": None,
          "creationtoolversion": None, "o-tmf": None}
_TU_ATTRIBUTES = {**_ADMIN, "segtype": None, "srclang": None, "creationdate": _DATE}
_TUV_ATTRIBUTES = {**_ADMIN, "creationdate": _DATE}


def _attributes(element: etree._Element, known: dict, path: Path) -> dict[str, str]:
    kept = {}
    for key, value in element.attrib.items():
        if key not in known:
            continue
        if known[key] is not None and not known[key].fullmatch(value):
            warnings.warn(f"{path}:{element.sourceline}: <{element.tag} {key}=\"{value}\"> is not a valid TMX "
                          f"value; the attribute is left out", stacklevel=2)
            continue
        kept[key] = value
    return kept


_PROBE = ('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" '
          'adminlang="en" srclang="en" datatype="x"/><body><tu><tuv xml:lang="en"><seg/></tuv></tu></body></tmx>')


def _inline_error(seg: etree._Element) -> str | None:
    """Why the inline markup of a <seg> is not TMX 1.4b (e.g. XLIFF's <x/>, a <bpt> without i), or None."""
    probe = etree.fromstring(_PROBE)
    copy = deepcopy(seg)
    copy.tail = None
    empty = probe.find(".//seg")
    empty.getparent().replace(empty, copy)
    if TMX_SCHEMA.validator.validate(probe):
        return None
    return TMX_SCHEMA.validator.error_log.last_error.message


def _unit(tu: etree._Element, path: Path) -> TmxUnit:
    attributes = _attributes(tu, _TU_ATTRIBUTES, path)
    unit = TmxUnit(segments={}, tuid=tu.get("tuid"), creationdate=attributes.pop("creationdate", None),
                   line=tu.sourceline or 0, attributes=attributes)
    for child in tu:
        if child.tag == "prop":
            unit.props.append((child.get("type", ""), child.text or ""))
        elif child.tag == "note":
            unit.notes.append(child.text or "")
        elif child.tag == "tuv":
            lang = child.get(XML_LANG) or child.get("lang")
            seg = child.find("seg")
            if not lang or seg is None:
                raise InputError(f"{path}:{child.sourceline}: <tuv> without xml:lang or <seg>")
            unit.segments[lang] = _plain(seg)
            if attributes := _attributes(child, _TUV_ATTRIBUTES, path):
                unit.tuv_attributes[lang] = attributes
            if len(seg):
                if (error := _inline_error(seg)) is None:
                    unit.markup[lang] = _inner_xml(seg)
                else:
                    warnings.warn(f"{path}:{seg.sourceline}: the inline markup of this <seg> is not TMX 1.4b ({error}); "
                                  "its text is kept without the markup", stacklevel=2)
    return unit


def read_tmx(path: Path) -> list[TmxUnit]:
    return list(iter_tmx(path))
