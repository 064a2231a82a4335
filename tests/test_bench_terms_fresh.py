"""The held-apart sets of `bench terms` (rows press-fresh to press-fresh13): each glossary's evidence
stands in its own conferences, and each row judges every pair it extracts."""

import re
from dataclasses import replace

import pytest

from align.bench.terms import HELD_SETS, read_glossary, terms, zh_key
from align.ingest import load_document
from align.ingest.language import to_simplified
from align.pipeline import find_pairs
from align.terms.links import strip_quotes

# each row's conferences and glossary entries
SIZES = {"press-fresh": (12, 489), "press-fresh2": (12, 732), "press-fresh3": (12, 623), "press-fresh4": (12, 695),
         "press-fresh5": (16, 916), "press-fresh6": (16, 915),
         "press-fresh7": (16, 824), "press-fresh8": (16, 755), "press-fresh9": (16, 860),
         "press-fresh10": (16, 802), "press-fresh11": (16, 872),
         "press-fresh12": (16, 742), "press-fresh13": (16, 899)}


@pytest.mark.parametrize("held", HELD_SETS, ids=lambda held: held.row)
def test_every_entry_stands_in_both_versions_of_the_conferences_its_evidence_names(held):
    texts = {}
    for pair in find_pairs(held.texts):
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        texts[pair.stem] = (strip_quotes(" ".join(en.texts)),
                            re.sub("[《》]", "", strip_quotes(to_simplified("".join(zh.texts)))))
    lines = [line for line in held.glossary.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    conferences, entries = SIZES[held.row]
    assert len(texts) == conferences and len(read_glossary(held.glossary)) == len(lines) == entries
    for line in lines:
        english, chinese, set_name, evidence = line.split("\t")
        stems = evidence.removeprefix("both versions of ").split(", ")
        word = re.compile(r"(?<![\w-])" + re.escape(english) + r"(?![\w-])", re.I)
        assert set_name == held.kind and stems
        assert all(word.search(texts[s][0]) and chinese in texts[s][1] for s in stems), line


@pytest.mark.parametrize("held", HELD_SETS, ids=lambda held: held.row)
def test_the_row_judges_every_extracted_pair_and_a_listed_pair_is_never_wrong(held, tmp_path):
    empty = tmp_path / "glossary.tsv"
    empty.write_text(f"# no entries: only the {held.row} row is built\n", encoding="utf-8")
    only = tuple(other if other == held else replace(other, glossary=empty) for other in HELD_SETS)
    (row,) = terms(tmp_path / "bible", glossary=empty, workdir=tmp_path, held_sets=only).rows
    listed = {f"{en.lower()} → {zh_key(zh)}" for en, zh, _ in read_glossary(held.glossary)}
    precision, _, judged = row.extract
    assert (row.name, row.entries) == (held.row, SIZES[held.row][1])
    assert judged > 0 and round(precision * judged) == judged - len(row.wrong)
    assert not listed & set(row.wrong)
