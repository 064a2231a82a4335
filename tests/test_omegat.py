"""A real CAT tool imports our TMX: OmegaT translates the English demo from tm/auto/."""

import shutil
import subprocess
from pathlib import Path

import pytest

from align.cli import main
from align.export.tmx import read_tmx

from conftest import DEMO_EN, DEMO_ZH

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
pytestmark = pytest.mark.skipif(not OMEGAT_JAR.is_file() or not shutil.which("java"),
                                reason="OmegaT is not installed (apt-get install omegat); .ci/run installs it")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
  <source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
  <glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
  <dictionary_dir>__DEFAULT__</dictionary_dir>
  <source_lang>EN-US</source_lang><target_lang>ZH-CN</target_lang>
  <sentence_seg>true</sentence_seg><support_default_translations>true</support_default_translations>
  <remove_tags>false</remove_tags>
</project></omegat>
"""


def omegat_translate(project: Path, source: Path, tmx: Path) -> str:
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    shutil.copy(source, project / "source" / source.name)
    shutil.copy(tmx, project / "tm" / "auto" / tmx.name)
    subprocess.run(["java", "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project),
                    "--mode=console-translate"], check=True, capture_output=True, timeout=600)
    return (project / "target" / source.name).read_text(encoding="utf-8")


def test_omegat_translates_the_demo_from_our_tmx(tmp_path):
    tmx = tmp_path / "demo.tmx"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(tmx)]) == 0
    translated = omegat_translate(tmp_path / "project", DEMO_EN, tmx)
    one_to_one = [u.segments["zh-CN"] for u in read_tmx(tmx) if u.segments["en-US"] in (
        "What is China's goal in the world?", "Thank you!")]
    assert len(one_to_one) == 2
    for chinese in one_to_one:
        assert chinese in translated


def test_omegat_translates_from_an_exported_memory(tmp_path):
    tm = tmp_path / "m.sqlite"
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(tmp_path / "demo.tmx"), "--tm", str(tm)]) == 0
    exported = tmp_path / "exported.tmx"
    assert main(["tm", "export", "-o", str(exported), "--tm", str(tm)]) == 0
    translated = omegat_translate(tmp_path / "project", DEMO_EN, exported)
    assert "谢谢！" in translated and "中国在世界上的目标是什么？" in translated
