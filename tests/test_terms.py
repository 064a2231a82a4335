from lxml import etree

from align.cli import main
from align.terms.extract import extract_glossary
from align.terms.tbx import build_tbx, validate_tbx_tree

from test_memory import demo_memory  # noqa: F401  (fixture)


def test_glossary_holds_the_recurring_term_and_names_with_renderings(demo_memory):  # noqa: F811
    glossary = {e.english: e.chinese for e in extract_glossary(demo_memory)}
    assert glossary["human community with a shared future"] == "人类命运共同体"
    assert glossary["world peace"] == "世界和平"
    assert glossary["Global Development Initiative"] == "全球发展倡议"


def test_glossary_leaves_out_clause_fragments(demo_memory):  # noqa: F811
    english = {e.english for e in extract_glossary(demo_memory)}
    assert not any(term.startswith(("promote ", "building ", "safeguard ")) for term in english)
    assert not any(" and the " in term for term in english)


def test_tbx_is_valid_tbx_basic(demo_memory):  # noqa: F811
    tree = build_tbx(extract_glossary(demo_memory))
    validate_tbx_tree(tree)
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    first = tree.getroot().find(".//t:conceptEntry", ns)
    terms = [t.text for t in first.iterfind(".//t:term", ns)]
    assert terms == ["human community with a shared future", "人类命运共同体"]


def test_terms_extract_writes_tbx_and_omegat_glossary(demo_memory, tmp_path):  # noqa: F811
    tbx = tmp_path / "glossary.tbx"
    assert main(["terms", "extract", "-o", str(tbx), "--tm", str(tmp_path / "m.sqlite")]) == 0
    etree.parse(str(tbx))
    lines = (tmp_path / "glossary.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "human community with a shared future\t人类命运共同体\t×5"
