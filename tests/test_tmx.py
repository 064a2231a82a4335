import pytest
from lxml import etree

from align.errors import InputError
from align.export.tmx import TmxHeader, TmxUnit, iter_tmx, read_tmx, validate_tmx, write_tmx


def _unit(en="Thank you!", zh="谢谢！", **kw):
    return TmxUnit(segments={"en-US": en, "zh-CN": zh}, props=[("x-confidence", "0.9500")], **kw)


def test_written_tmx_is_valid_tmx_14b(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(path, [_unit()])
    validate_tmx(path)
    header = etree.parse(str(path)).getroot().find("header")
    assert header.get("segtype") == "sentence" and header.get("srclang") == "en-US"
    assert header.get("datatype") == "plaintext"
    assert len(header.get("creationdate")) == 16 and header.get("creationdate").endswith("Z")


def test_markup_characters_are_escaped_and_read_back(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(path, [_unit(en='a < b & "c" > d', zh="甲<乙&丙")])
    raw = path.read_text(encoding="utf-8")
    assert "a &lt; b &amp;" in raw
    assert read_tmx(path)[0].segments == {"en-US": 'a < b & "c" > d', "zh-CN": "甲<乙&丙"}


def test_characters_forbidden_in_xml_are_removed_with_a_warning(tmp_path):
    path = tmp_path / "out.tmx"
    with pytest.warns(UserWarning, match="removed 2 character"):
        write_tmx(path, [_unit(en="bell\x07 and\x0b tab\tok")])
    assert read_tmx(path)[0].segments["en-US"] == "bell and tab\tok"


def test_round_trip_loses_nothing(tmp_path):
    path = tmp_path / "out.tmx"
    units = [_unit(notes=["checked"]), _unit(en="Second.", zh="第二。")]
    units[1].props.append(("x-speaker", "Ma Zhaoxu"))
    write_tmx(path, units, TmxHeader(srclang="en-GB"))
    back = read_tmx(path)
    assert [u.segments for u in back] == [u.segments for u in units]
    assert [u.props for u in back] == [u.props for u in units]
    assert back[0].notes == ["checked"]


def test_failed_write_leaves_existing_tmx_untouched(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(path, [_unit()])
    before = path.read_bytes()

    def broken_units():
        yield _unit()
        raise RuntimeError("aligner crashed")

    with pytest.raises(RuntimeError):
        write_tmx(path, broken_units())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.tmx"]


def test_inline_markup_is_kept_and_plain_text_is_shown(tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" '
        'o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="en"><seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> now</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>现在<ph>&lt;br/&gt;</ph>按这里</seg></tuv></tu></body></tmx>', encoding="utf-8")
    unit = read_tmx(path)[0]
    assert unit.segments == {"en": "Press here now", "zh-CN": "现在按这里"}
    assert unit.markup["en"] == 'Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> now'


def test_wrong_root_is_a_clear_error(tmp_path):
    path = tmp_path / "x.tmx"
    path.write_text("<html><body/></html>")
    with pytest.raises(InputError, match=r"x.tmx:1: the root element is <html>"):
        list(iter_tmx(path))


def test_not_xml_names_file_and_line(tmp_path):
    path = tmp_path / "broken.tmx"
    path.write_text('<tmx version="1.4">\n<header/>\n<body><tu>\n</body>')
    with pytest.raises(InputError, match=r"broken.tmx:4: not well-formed XML"):
        list(iter_tmx(path))
