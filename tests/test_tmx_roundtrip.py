"""`tm import` then `tm export` gives back every unit of another CAT tool's TMX as it was."""

import pytest
from lxml import etree

from align.cli import main

TRADOS = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format" datatype="xml"
          segtype="sentence" adminlang="en-US" srclang="en-US" creationdate="20220301T101500Z" creationid="MFA\\jwang">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">mfa-en-zh</prop>
  </header>
  <body>
    <tu creationdate="20220301T101512Z" creationid="MFA\\jwang" changedate="20220302T084001Z" changeid="MFA\\lli"
        lastusagedate="20220310T120000Z" usagecount="3">
      <prop type="x-Context">8520195542473404352, 0</prop>
      <prop type="x-Origin">TM</prop>
      <prop type="x-ConfirmationLevel">ApprovedSignOff</prop>
      <tuv xml:lang="en-US">
        <seg>Press <bpt i="1" type="1" x="1" />Save<ept i="1" /> to keep the <ph x="2" type="3" />transcript.</seg>
      </tuv>
      <tuv xml:lang="zh-CN">
        <seg>按<bpt i="1" type="1" x="1" />保存<ept i="1" />以保留<ph x="2" type="3" />记录稿。</seg>
      </tuv>
    </tu>
    <tu creationdate="20220301T101600Z" creationid="MFA\\jwang" changedate="20220301T101600Z" changeid="MFA\\jwang"
        usagecount="0">
      <prop type="x-Context">0, 8520195542473404352</prop>
      <tuv xml:lang="en-US"><seg>We stand for peace &amp; development.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>我们主张和平与发展。</seg></tuv>
    </tu>
  </body>
</tmx>
"""

MEMOQ = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
<header creationtool="MemoQ" creationtoolversion="9.12.9" segtype="sentence" o-tmf="MemoQTM" adminlang="en-us"
        srclang="en-gb" datatype="unknown" creationdate="20221031T093000Z" creationid="PM">
<prop type="defclient">Ministry</prop><prop type="defdomain">Diplomacy</prop>
</header>
<body>
<tu changedate="20221031T093000Z" creationdate="20221030T120000Z" creationid="translator1" changeid="reviewer2">
<prop type="client">Ministry</prop>
<prop type="project">Press conferences 2022</prop>
<prop type="domain">Diplomacy</prop>
<prop type="subject">Foreign policy</prop>
<prop type="corrected">no</prop>
<prop type="aligned">no</prop>
<prop type="x-document">briefing-1031.docx</prop>
<prop type="x-context-pre">&lt;seg&gt;Good afternoon.&lt;/seg&gt;</prop>
<prop type="x-context-post"></prop>
<tuv xml:lang="en-gb"><seg>The <bpt i="1" type="bold">{1}</bpt>Global Development Initiative<ept i="1">{/1}</ept> is open to all.</seg></tuv>
<tuv xml:lang="zh-cn"><seg><bpt i="1" type="bold">{1}</bpt>全球发展倡议<ept i="1">{/1}</ept>向所有国家开放。</seg></tuv>
</tu>
</body>
</tmx>
"""

OMEGAT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="5.7.1_0_5fc7d2a2" segtype="sentence" srclang="EN-US"/>
  <body>
<!-- Default translations -->
    <tu>
      <note>Checked against the Chinese original.</note>
      <tuv xml:lang="EN-US">
        <seg>Thank you, <bpt i="0" x="0">&lt;b0&gt;</bpt>Mr. Ma<ept i="0">&lt;/b0&gt;</ept>!</seg>
      </tuv>
      <tuv xml:lang="ZH-CN" changeid="wang" changedate="20230105T080000Z" creationid="wang" creationdate="20230105T075900Z">
        <seg>谢谢<bpt i="0" x="0">&lt;b0&gt;</bpt>马先生<ept i="0">&lt;/b0&gt;</ept>！</seg>
      </tuv>
    </tu>
    <tu>
      <prop type="file">briefing.odt</prop>
      <prop type="id">p12</prop>
      <tuv xml:lang="EN-US"><seg>Next question.</seg></tuv>
      <tuv xml:lang="ZH-CN" changeid="li" changedate="20230106T090000Z" creationid="li" creationdate="20230106T090000Z">
        <seg>下一个问题。</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""


def _units(path) -> list:
    """Everything a <tu> carries, in a form that compares: attributes, props and notes in order, and
    each <tuv>'s language, attributes and canonical <seg> XML (inline codes and all)."""
    units = []
    for tu in etree.parse(str(path)).iter("tu"):
        attributes = dict(tu.attrib)
        units.append((
            attributes,
            [(child.tag, dict(child.attrib), child.text or "") for child in tu if child.tag in ("prop", "note")],
            [(dict(tuv.attrib), etree.tostring(tuv.find("seg"), method="c14n").decode()) for tu_child in [tu]
             for tuv in tu_child.iter("tuv")],
        ))
    return units


@pytest.mark.parametrize("name,text", [("trados", TRADOS), ("memoq", MEMOQ), ("omegat", OMEGAT)])
def test_a_foreign_tmx_survives_import_and_export_unit_for_unit(name, text, tmp_path, capsys):
    source, exported, tm = tmp_path / f"{name}.tmx", tmp_path / "out.tmx", tmp_path / "m.sqlite"
    source.write_text(text, encoding="utf-8")
    assert main(["tm", "import", str(source), "--tm", str(tm)]) == 0
    assert main(["tm", "export", "-o", str(exported), "--tm", str(tm)]) == 0
    assert capsys.readouterr().err == ""
    before, after = _units(source), _units(exported)
    for original, written in zip(before, after):
        if "tuid" not in original[0]:  # a unit without one gets a number: added, nothing lost
            written[0].pop("tuid")
    assert after == before
    notes_first = [sorted(children, key=lambda child: child[0] != "note") for _, children, _ in before]
    assert [children for _, children, _ in after] == notes_first


def test_a_unit_with_a_tuid_keeps_it(tmp_path):
    source, exported, tm = tmp_path / "t.tmx", tmp_path / "out.tmx", tmp_path / "m.sqlite"
    source.write_text(MEMOQ.replace("<tu changedate", '<tu tuid="mq-77" changedate'), encoding="utf-8")
    main(["tm", "import", str(source), "--tm", str(tm)])
    main(["tm", "export", "-o", str(exported), "--tm", str(tm)])
    assert [tu.get("tuid") for tu in etree.parse(str(exported)).iter("tu")] == ["mq-77"]


def test_an_attribute_value_that_is_not_tmx_is_left_out_with_a_warning(tmp_path, capsys):
    source, exported, tm = tmp_path / "t.tmx", tmp_path / "out.tmx", tmp_path / "m.sqlite"
    source.write_text(TRADOS.replace('usagecount="3"', 'usagecount="many"'), encoding="utf-8")
    assert main(["tm", "import", str(source), "--tm", str(tm)]) == 0
    assert capsys.readouterr().err == (f'warning: {source}:10: <tu usagecount="many"> is not a valid TMX value; '
                                       "the attribute is left out\n")
    assert main(["tm", "export", "-o", str(exported), "--tm", str(tm)]) == 0
    assert next(etree.parse(str(exported)).iter("tu")).get("usagecount") is None


NOT_QUITE_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
 srclang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en_GB"><seg>Press <x id="1"/>here.</seg></tuv><tuv xml:lang="zh"><seg>按这里。</seg></tuv></tu>
<tu creationdate="yesterday"><tuv xml:lang="en"><seg>Peace.</seg></tuv><tuv xml:lang="zh-CN!"><seg>和平。</seg></tuv></tu>
</body></tmx>
"""


def test_what_tm_import_accepts_tm_export_can_write(tmp_path, capsys):
    source, exported, tm = tmp_path / "n.tmx", tmp_path / "out.tmx", tmp_path / "m.sqlite"
    source.write_text(NOT_QUITE_TMX, encoding="utf-8")
    assert main(["tm", "import", str(source), "--tm", str(tm)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {source}:4: the inline markup of this <seg> is not TMX 1.4b (Element seg has extra content: x); "
        "its text is kept without the markup",
        f'warning: {source}:5: <tu creationdate="yesterday"> is not a valid TMX value; the attribute is left out',
        'warning: n.tmx:5: xml:lang="zh-CN!" is not a language tag; the unit is stored as zh-CN']
    assert main(["tm", "export", "-o", str(exported), "--tm", str(tm)]) == 0
    tuvs = [(tuv.get("{http://www.w3.org/XML/1998/namespace}lang"), "".join(tuv.find("seg").itertext()))
            for tuv in etree.parse(str(exported)).iter("tuv")]
    assert tuvs == [("en-GB", "Press here."), ("zh", "按这里。"), ("en", "Peace."), ("zh-CN", "和平。")]


def test_tm_search_json_shows_what_an_imported_unit_carries(tmp_path, capsys):
    import json

    source, tm = tmp_path / "memoq.tmx", tmp_path / "m.sqlite"
    source.write_text(MEMOQ, encoding="utf-8")
    main(["tm", "import", str(source), "--tm", str(tm)])
    capsys.readouterr()
    assert main(["tm", "search", "Global Development", "--tm", str(tm), "--json"]) == 0
    [unit] = json.loads(capsys.readouterr().out)
    assert unit["extra"]["tu"]["changeid"] == "reviewer2"
    assert ["client", "Ministry"] in unit["props"]
    assert unit["en_markup"].startswith("The <bpt")
