import json
import shutil

import pytest

from align.cli import main
from align.errors import InputError
from align.export.tmx import read_tmx
from align.store.memory import Memory
from align.terms.lookup import lookup

from conftest import DEMO_EN, DEMO_ZH

FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="memoQ" creationtoolversion="9" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en-GB" datatype="plaintext"/><body>
<tu><prop type="client">MFA</prop><note>approved</note>
 <tuv xml:lang="en-GB"><seg>Press <bpt i="1">&lt;b&gt;</bpt>peace<ept i="1">&lt;/b&gt;</ept> now.</seg></tuv>
 <tuv xml:lang="ZH-CN"><seg>现在就要和平。</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Thank you!</seg></tuv><tuv xml:lang="zh-TW"><seg>謝謝！</seg></tuv></tu>
{extra}
</body></tmx>
"""


@pytest.fixture
def demo_memory(demo_memory_file, tmp_path):
    shutil.copy(demo_memory_file, tmp_path / "m.sqlite")
    memory = Memory(tmp_path / "m.sqlite")
    yield memory
    memory.close()


def test_run_adds_units_once_even_when_run_twice(tmp_path):
    tmx, tm = tmp_path / "demo.tmx", tmp_path / "m.sqlite"
    for _ in range(2):
        main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(tmx), "--tm", str(tm)])
    with Memory(tm) as memory:
        assert memory.count() == len(read_tmx(tmx))


def test_chinese_substring_search_finds_the_longer_term(demo_memory):
    found = demo_memory.search("命运共同体")
    assert found and all("人类命运共同体" in u.zh for u in found)


def test_english_search_is_case_insensitive_and_ranked_by_tightness(demo_memory):
    found = demo_memory.search("thank you")
    assert found[0].en == "Thank you!"


def test_lookup_renders_the_term_not_the_sentence(demo_memory):
    assert lookup(demo_memory, "human community with a shared future")[0].text == "人类命运共同体"


def test_lookup_of_a_quoted_term(demo_memory):
    assert lookup(demo_memory, "Belt and Road Initiative")[0].text.startswith("一带一路")


def test_lookup_json_from_the_cli(demo_memory, tmp_path, capsys):
    assert main(["lookup", "world peace", "--tm", str(tmp_path / "m.sqlite"), "--json"]) == 0
    renderings = json.loads(capsys.readouterr().out)
    assert renderings[0]["rendering"] == "世界和平" and renderings[0]["count"] >= 3


def test_foreign_tmx_imports_with_language_variants_markup_props_and_notes(tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN.format(extra=""), encoding="utf-8")
    with Memory(tmp_path / "m.sqlite") as memory:
        assert memory.import_tmx(path) == 2
        unit = memory.search("peace now")[0]
        assert (unit.en, unit.zh, unit.en_lang, unit.zh_lang) == ("Press peace now.", "现在就要和平。", "en-GB", "ZH-CN")
        props, notes, markup = memory.db.execute("SELECT props, notes, en_markup FROM units WHERE id=?", (unit.id,)).fetchone()
        assert json.loads(props) == [["client", "MFA"]] and json.loads(notes) == ["approved"]
        assert "<bpt" in markup
        assert memory.search("謝謝")[0].en == "Thank you!"


def test_unit_without_both_languages_rejects_the_whole_file(tmp_path):
    path = tmp_path / "bad.tmx"
    path.write_text(FOREIGN.format(extra='<tu><tuv xml:lang="en"><seg>Alone.</seg></tuv></tu>'), encoding="utf-8")
    with Memory(tmp_path / "m.sqlite") as memory:
        with pytest.raises(InputError, match=r"bad.tmx:\d+: <tu> without both"):
            memory.import_tmx(path)
        assert memory.count() == 0


def test_bad_encoding_declaration_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "enc.tmx"
    path.write_bytes(FOREIGN.format(extra="").replace('encoding="UTF-8"', 'encoding="no-such-codec"').encode())
    assert main(["tm", "import", str(path), "--tm", str(tmp_path / "m.sqlite")]) == 2
    assert "enc.tmx" in capsys.readouterr().err


def test_export_filters_by_confidence_and_imports_back(demo_memory, tmp_path):
    out = tmp_path / "high.tmx"
    assert main(["tm", "export", "-o", str(out), "--min-confidence", "0.9", "--tm", str(tmp_path / "m.sqlite")]) == 0
    units = read_tmx(out)
    assert units and all(float(u.prop("x-confidence")) >= 0.9 for u in units)
    with Memory(tmp_path / "again.sqlite") as memory:
        assert memory.import_tmx(out) == len(units)


def test_search_without_a_memory_is_bad_input(tmp_path, capsys):
    assert main(["tm", "search", "peace", "--tm", str(tmp_path / "none.sqlite")]) == 2
    assert "no translation memory here yet" in capsys.readouterr().err


def test_english_search_finds_inflected_forms_of_a_phrase(demo_memory):
    found = demo_memory.search("build a human community")
    assert found and all("building a human community" in u.en.lower() for u in found)


def test_one_character_chinese_query_still_searches(demo_memory):
    assert any("谢谢" in u.zh for u in demo_memory.search("谢"))


def test_no_control_character_reaches_the_memory(tmp_path):
    from align.export.tmx import TmxUnit
    from align.store.memory import Memory

    unit = TmxUnit(segments={"en-US": "Thank\x00 you\x85!", "zh-CN": "谢谢\x1b！"})
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add([unit], "t.tmx")
        stored = next(memory.units())
    assert (stored.en, stored.zh) == ("Thank you!", "谢谢！")
