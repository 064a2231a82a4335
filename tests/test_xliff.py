"""XLIFF out (schema-valid, states and confidence, opened by OmegaT) and XLIFF 1.2 / 2.0 in (`tm import`)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from align.cli import main
from align.errors import InputError
from align.export.xliff import XLIFF12, XLIFF_SCHEMA, read_xliff
from align.store.alignments import AlignmentStore
from align.store.edits import Confirm, EditText
from align.store.memory import Memory

NS = {"x": XLIFF12}
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")


def export(memory_file, out, *extra) -> Path:
    assert main(["export", "demo", "-o", str(out), "--tm", str(memory_file), *extra]) == 0
    return out


def units_of(path):
    return etree.parse(str(path)).getroot().findall(".//x:trans-unit", NS)


def test_the_xliff_export_is_valid_against_the_oasis_schema_with_one_unit_per_bead(memory_file, tmp_path, capsys):
    xlf = export(memory_file, tmp_path / "demo.xlf")
    assert capsys.readouterr().out == f"21 unit(s) → {xlf}\n"
    tree = etree.parse(str(xlf))
    XLIFF_SCHEMA.validate(tree, str(xlf))
    file = tree.getroot().find("x:file", NS)
    assert (file.get("source-language"), file.get("target-language")) == ("zh-CN", "en-US")
    second = units_of(xlf)[1]
    assert second.findtext("x:source", namespaces=NS) == "中国在世界上的目标是什么？"
    assert second.findtext("x:target", namespaces=NS) == "What is China's goal in the world?"
    assert second.findtext("x:context-group/x:context[@context-type='x-speaker']", namespaces=NS) == "凤凰卫视记者"
    assert re.fullmatch(r"x-confidence=(0\.\d{4}|1\.0000)", second.get("extradata"))


def test_the_schema_refuses_a_state_xliff_does_not_have(memory_file, tmp_path):
    tree = etree.parse(str(export(memory_file, tmp_path / "demo.xlf")))
    tree.getroot().find(".//x:target", NS).set("state", "done")
    with pytest.raises(InputError, match="not valid XLIFF 1.2"):
        XLIFF_SCHEMA.validate(tree, "demo.xlf")


def test_confirmed_edited_and_automatic_units_carry_their_states(memory_file, tmp_path):
    with Memory(memory_file) as memory:
        store = AlignmentStore(memory)
        store.apply("demo", Confirm(1), store.get("demo").version)
        j = store.get("demo").alignment.beads[2].en[0]
        store.apply("demo", EditText("en", (j,), "Recently, some have worried."), store.get("demo").version)
    units = units_of(export(memory_file, tmp_path / "demo.xlf", "--review-threshold", "1.0"))
    states = [(u.get("approved"), u.find("x:target", NS).get("state")) for u in units[:4]]
    assert states == [(None, "needs-review-translation"), ("yes", "signed-off"), (None, "final"),
                      (None, "needs-review-translation")]
    assert units[2].findtext("x:target", namespaces=NS) == "Recently, some have worried. What's your response to these comments?"


def test_an_xliff_export_refuses_the_tmx_filters(memory_file, tmp_path, capsys):
    out = tmp_path / "demo.xlf"
    assert main(["export", "demo", "-o", str(out), "--tm", str(memory_file), "--confirmed-only"]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {out}: --confirmed-only and --min-confidence filter TMX units; "
                                               "XLIFF and Excel files hold every unit with its state")


@pytest.mark.skipif(not OMEGAT_JAR.is_file() or not shutil.which("java"), reason="OmegaT is not installed; .ci/run installs it")
def test_omegat_opens_the_xliff_and_finds_every_target(memory_file, demo_memory_file, tmp_path):
    """OmegaT 3.6's XLIFF filter reads <target> as the text to translate: with the demo TMX (English to
    Chinese) in tm/auto, every one of our 21 targets is found and matched, none is left."""
    project = tmp_path / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><omegat><project version="1.0">'
        "<source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>"
        "<glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>"
        "<dictionary_dir>__DEFAULT__</dictionary_dir><source_lang>EN-US</source_lang><target_lang>ZH-CN</target_lang>"
        "<sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>"
        "<remove_tags>false</remove_tags></project></omegat>", encoding="utf-8")
    export(memory_file, project / "source" / "demo.xlf")
    shutil.copy(demo_memory_file.parent / "demo.tmx", project / "tm" / "auto" / "demo.tmx")
    subprocess.run(["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project), "--mode=console-translate"],
                   check=True, capture_output=True, timeout=600)
    stats = (project / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total, remaining = ([int(n) for n in line.split("\t")[1:3] if n.strip()] for line in stats.splitlines()
                        if line.startswith(("Total:", "Remaining:")))
    assert (total[0], remaining[0]) == (21, 0)
    second = units_of(project / "target" / "demo.xlf")[1]
    assert second.findtext("x:target", namespaces=NS) == "中国在世界上的目标是什么？"


def test_tm_import_takes_our_xliff_back_with_its_confidences(memory_file, tmp_path, capsys):
    xlf = export(memory_file, tmp_path / "demo.xlf")
    capsys.readouterr()
    fresh = tmp_path / "fresh.sqlite"
    assert main(["tm", "import", str(xlf), "--tm", str(fresh)]) == 0
    assert capsys.readouterr().out == f"{xlf}: 21 new unit(s); the memory holds 21\n"
    with Memory(memory_file, readonly=True) as old, Memory(fresh, readonly=True) as new:
        before = {(u.en, u.zh): round(u.confidence, 4) for u in old.units()}
        after = {(u.en, u.zh): u.confidence for u in new.units()}
        speakers = {u.speaker for u in new.units()}
    assert after == before
    assert speakers == {None, "凤凰卫视记者", "马朝旭"}


XLIFF20_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en-US" trgLang="zh-CN">
  <file id="f1" original="briefing.docx">
    <unit id="u1">
      <notes><note category="terminology">固定译法</note></notes>
      <segment state="final"><source>Thank you.</source><target>谢谢。</target></segment>
      <ignorable><source> </source><target></target></ignorable>
      <segment state="reviewed"><source>Next question, please.</source><target>请下一位提问。</target></segment>
    </unit>
    <unit id="u2">
      <segment><source>The meeting <pc id="1">will</pc> open tomorrow<cp hex="0021"/></source>
        <target>会议将于明天开幕<cp hex="FF01"/></target></segment>
    </unit>
    <unit id="u3"><segment><source>Not translated yet.</source></segment></unit>
  </file>
</xliff>
"""


def test_tm_import_takes_the_units_of_a_bilingual_xliff_2_file_with_notes(tmp_path, capsys):
    xlf = tmp_path / "briefing.xlf"
    xlf.write_text(XLIFF20_FILE, encoding="utf-8")
    memory = tmp_path / "m.sqlite"
    assert main(["tm", "import", str(xlf), "--tm", str(memory)]) == 0
    assert capsys.readouterr().out == f"{xlf}: 2 new unit(s) (1 unit(s) without a target skipped); the memory holds 2\n"
    with Memory(memory, readonly=True) as m:
        units = sorted(((u.en, u.zh, u.notes, u.document) for u in m.units()))
    assert units == [("Thank you. Next question, please.", "谢谢。请下一位提问。", ("固定译法",), "briefing.docx"),
                     ("The meeting will open tomorrow!", "会议将于明天开幕！", (), "briefing.docx")]


def test_a_segmented_xliff_1_2_unit_gives_one_memory_unit_per_segment(tmp_path):
    xlf = tmp_path / "seg.xlf"
    xlf.write_text(f"""<xliff xmlns="{XLIFF12}" version="1.2"><file original="a.txt" source-language="en" target-language="zh"
      datatype="plaintext"><body><trans-unit id="7"><source>Thank you. Goodbye.</source>
      <seg-source><mrk mtype="seg" mid="1">Thank you.</mrk> <mrk mtype="seg" mid="2">Goodbye.</mrk></seg-source>
      <target><mrk mtype="seg" mid="1">谢谢。</mrk><mrk mtype="seg" mid="2">再见。</mrk></target>
      <note>checked</note></trans-unit></body></file></xliff>""", encoding="utf-8")
    found = read_xliff(xlf)
    assert [(u.segments, u.notes, u.tuid) for u in found.units] == [
        ({"en": "Thank you.", "zh": "谢谢。"}, ["checked"], "7.1"), ({"en": "Goodbye.", "zh": "再见。"}, [], "7.2")]


def test_a_file_that_is_not_xliff_is_refused_in_one_line(tmp_path, capsys):
    xlf = tmp_path / "notes.xlf"
    xlf.write_text("<tmx version='1.4'><body/></tmx>", encoding="utf-8")
    assert main(["tm", "import", str(xlf), "--tm", str(tmp_path / "m.sqlite")]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {xlf}: not XLIFF 1.2 or 2.0 (the root is <tmx> in no namespace); "
                                               "export the project as XLIFF 1.2 or 2.0")
