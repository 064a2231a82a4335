"""Glossary output: TBX-Basic (ISO 30042:2019, DCA style) checked by our RELAX NG schema, and the
tab-separated glossary that OmegaT reads from a project's `glossary/` folder."""

from __future__ import annotations

import csv
from pathlib import Path

from lxml import etree

from align.export.atomic import atomic_write
from align.export.schema import Schema
from align.export.tmx import XML_LANG, xml_safe
from align.terms.extract import GlossaryEntry

TBX_NS = "urn:iso:std:iso:30042:ed-2"


def build_tbx(entries: list[GlossaryEntry], en_lang: str = "en", zh_lang: str = "zh") -> etree._ElementTree:
    root = etree.Element(f"{{{TBX_NS}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}, nsmap={None: TBX_NS})
    header = etree.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    source = etree.SubElement(etree.SubElement(header, f"{{{TBX_NS}}}fileDesc"), f"{{{TBX_NS}}}sourceDesc")
    etree.SubElement(source, f"{{{TBX_NS}}}p").text = "Extracted by align from its translation memory"
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for number, entry in enumerate(entries, start=1):
        concept = etree.SubElement(body, f"{{{TBX_NS}}}conceptEntry", id=f"c{number}")
        etree.SubElement(concept, f"{{{TBX_NS}}}note").text = f"frequency: {entry.frequency}; score: {entry.score:.2f}"
        for lang, term, context in ((en_lang, entry.english, entry.example_en), (zh_lang, entry.chinese, entry.example_zh)):
            lang_sec = etree.SubElement(concept, f"{{{TBX_NS}}}langSec", {XML_LANG: lang})
            term_sec = etree.SubElement(lang_sec, f"{{{TBX_NS}}}termSec")
            etree.SubElement(term_sec, f"{{{TBX_NS}}}term").text = xml_safe(term, "glossary")
            etree.SubElement(term_sec, f"{{{TBX_NS}}}descrip", type="context").text = xml_safe(context, "glossary")
    return etree.ElementTree(root)


TBX_SCHEMA = Schema("align.terms", "tbx_basic.rng", "TBX-Basic")


def validate_tbx_tree(tree: etree._ElementTree, where: str = "<tbx>") -> None:
    TBX_SCHEMA.validate(tree, where)


def write_tbx(path: Path, entries: list[GlossaryEntry]) -> None:
    TBX_SCHEMA.write(path, build_tbx(entries))


def write_omegat_glossary(path: Path, entries: list[GlossaryEntry]) -> None:
    """OmegaT's tab-separated glossary: source term, target term, comment."""
    with atomic_write(Path(path), "w", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        for entry in entries:
            writer.writerow([entry.english, entry.chinese, f"×{entry.frequency}"])
