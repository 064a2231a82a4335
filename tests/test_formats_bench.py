"""`bench formats` measures every reader on documents made from the demo pair."""

import json

from align.bench.documents import chromium
from align.cli import main


def test_bench_formats_reads_every_format_of_the_demo_back_to_the_sentences_of_its_text(tmp_path, capsys):
    assert main(["bench", "formats", "--data", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    formats = ["HTML", "DOCX"] + (["PDF"] if chromium() else [])
    assert [t["format"] for t in report["timings"]] == formats
    assert [t["same_sentences_as_text"] for t in report["timings"]] == ["2/2"] * len(formats)
    ours = report["html_extractors"][0]
    assert ours == {"extractor": "lxml rules (ours)", "paragraphs_lost": "0/12", "labels_lost": "0/4",
                    "furniture_phrases_kept": 0}
    assert f"press-dev: not found under {tmp_path}; the demo pair alone was measured" in report["skipped"]
