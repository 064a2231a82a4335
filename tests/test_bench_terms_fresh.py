"""The held-apart press-fresh set of `bench terms`: its glossary's evidence stands in its own conferences."""

import re

from align.bench.terms import FRESH, FRESH_GLOSSARY, read_glossary
from align.ingest import load_document
from align.ingest.language import to_simplified
from align.pipeline import find_pairs
from align.terms.links import strip_quotes


def test_every_fresh_entry_stands_in_both_versions_of_the_conferences_its_evidence_names():
    texts = {}
    for pair in find_pairs(FRESH):
        en, zh = load_document(pair.en, "en"), load_document(pair.zh, "zh")
        texts[pair.stem] = (strip_quotes(" ".join(en.texts)),
                            re.sub("[《》]", "", strip_quotes(to_simplified("".join(zh.texts)))))
    lines = [line for line in FRESH_GLOSSARY.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(texts) == 12 and len(read_glossary(FRESH_GLOSSARY)) == len(lines) == 489
    for line in lines:
        english, chinese, kind, evidence = line.split("\t")
        stems = evidence.removeprefix("both versions of ").split(", ")
        word = re.compile(r"(?<![\w-])" + re.escape(english) + r"(?![\w-])", re.I)
        assert kind == "press-fresh" and stems
        assert all(word.search(texts[s][0]) and chinese in texts[s][1] for s in stems), line


def test_the_press_fresh_row_judges_every_extracted_pair_and_a_listed_pair_is_never_wrong(tmp_path):
    from align.bench.terms import _zh_key, terms

    empty = tmp_path / "glossary.tsv"
    empty.write_text("# no entries: only the press-fresh row is built\n", encoding="utf-8")
    (row,) = terms(tmp_path / "bible", glossary=empty, workdir=tmp_path, fresh2=empty).rows
    listed = {f"{en.lower()} → {_zh_key(zh)}" for en, zh, _ in read_glossary(FRESH_GLOSSARY)}
    precision, _, judged = row.extract
    assert (row.name, row.entries) == ("press-fresh", 489)
    assert judged > 0 and round(precision * judged) == judged - len(row.wrong)
    assert not listed & set(row.wrong)
