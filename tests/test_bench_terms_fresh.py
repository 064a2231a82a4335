"""The held-apart sets of `bench terms` (rows press-fresh to press-fresh5): each glossary's evidence
stands in its own conferences, and each row judges every pair it extracts."""

import re

import pytest

from align.bench.terms import (FRESH, FRESH2, FRESH2_GLOSSARY, FRESH3, FRESH3_GLOSSARY, FRESH4, FRESH4_GLOSSARY,
                               FRESH5, FRESH5_GLOSSARY, FRESH_GLOSSARY, read_glossary)
from align.ingest import load_document
from align.ingest.language import to_simplified
from align.pipeline import find_pairs
from align.terms.links import strip_quotes

# row, its conferences (folder, how many), its glossary, the glossary's set name, its entries, the keyword of `terms`
# that gives its glossary
SETS = [("press-fresh", FRESH, 12, FRESH_GLOSSARY, "press-fresh", 489, "fresh"),
        ("press-fresh2", FRESH2, 12, FRESH2_GLOSSARY, "fresh2", 732, "fresh2"),
        ("press-fresh3", FRESH3, 12, FRESH3_GLOSSARY, "fresh3", 623, "fresh3"),
        ("press-fresh4", FRESH4, 12, FRESH4_GLOSSARY, "fresh4", 695, "fresh4"),
        ("press-fresh5", FRESH5, 16, FRESH5_GLOSSARY, "fresh5", 916, "fresh5")]


@pytest.mark.parametrize("row_name, folder, conferences, glossary, kind, entries, keyword", SETS)
def test_every_entry_stands_in_both_versions_of_the_conferences_its_evidence_names(row_name, folder, conferences,
                                                                                     glossary, kind, entries, keyword):
    texts = {}
    for pair in find_pairs(folder):
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        texts[pair.stem] = (strip_quotes(" ".join(en.texts)),
                            re.sub("[《》]", "", strip_quotes(to_simplified("".join(zh.texts)))))
    lines = [line for line in glossary.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(texts) == conferences and len(read_glossary(glossary)) == len(lines) == entries
    for line in lines:
        english, chinese, set_name, evidence = line.split("\t")
        stems = evidence.removeprefix("both versions of ").split(", ")
        word = re.compile(r"(?<![\w-])" + re.escape(english) + r"(?![\w-])", re.I)
        assert set_name == kind and stems
        assert all(word.search(texts[s][0]) and chinese in texts[s][1] for s in stems), line


@pytest.mark.parametrize("row_name, folder, conferences, glossary, kind, entries, keyword", SETS)
def test_the_row_judges_every_extracted_pair_and_a_listed_pair_is_never_wrong(row_name, folder, conferences, glossary,
                                                                              kind, entries, keyword, tmp_path):
    from align.bench.terms import _zh_key, terms

    empty = tmp_path / "glossary.tsv"
    empty.write_text(f"# no entries: only the {row_name} row is built\n", encoding="utf-8")
    others = {other: empty for *_, other in SETS if other != keyword}
    (row,) = terms(tmp_path / "bible", glossary=empty, workdir=tmp_path, **others).rows
    listed = {f"{en.lower()} → {_zh_key(zh)}" for en, zh, _ in read_glossary(glossary)}
    precision, _, judged = row.extract
    assert (row.name, row.entries) == (row_name, entries)
    assert judged > 0 and round(precision * judged) == judged - len(row.wrong)
    assert not listed & set(row.wrong)
