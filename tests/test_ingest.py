import pytest

from align.errors import InputError
from align.ingest import load_document, read_text
from align.ingest.transcript import is_residue, parse_transcript, speaker_label

from conftest import DEMO_EN, DEMO_ZH

ZH_SAMPLE = "马朝旭：\n你问到中国外交政策的目标。宗旨非常明确。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_chinese_transcript_is_decoded_in_common_encodings(tmp_path, encoding):
    path = tmp_path / "t.txt"
    path.write_bytes(ZH_SAMPLE.encode(encoding))
    assert read_text(path) == ZH_SAMPLE


def test_big5_traditional_transcript_is_decoded(tmp_path):
    text = "馬朝旭：\n你問到中國外交政策的目標。中國外交政策的宗旨和目標非常明確，就是維護世界和平、促進共同發展。\n"
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode("big5"))
    assert read_text(path) == text


def test_crlf_newlines_are_normalised(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"Ma Zhaoxu:\r\n\r\nThank you!\r\n")
    assert read_text(path) == "Ma Zhaoxu:\n\nThank you!\n"


def test_binary_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="image.txt"):
        read_text(path)


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    with pytest.raises(InputError, match="empty"):
        read_text(path)


@pytest.mark.parametrize("line,label,rest", [
    ("Phoenix TV:", "Phoenix TV", ""),
    ("Ma Zhaoxu: Thank you!", "Ma Zhaoxu", "Thank you!"),
])
def test_english_speaker_labels(line, label, rest):
    assert speaker_label(line, "en") == (label, rest)


@pytest.mark.parametrize("line,label,rest", [
    ("凤凰卫视记者：", "凤凰卫视记者", ""),
    ("马朝旭：你问到中国外交政策的目标。", "马朝旭", "你问到中国外交政策的目标。"),
])
def test_chinese_speaker_labels(line, label, rest):
    assert speaker_label(line, "zh") == (label, rest)


@pytest.mark.parametrize("line,lang", [
    ("China stays committed to this goal: peace.", "en"),
    ("Note: the figures are provisional.", "en"),
    ("中方立场很明确：我们支持和平。", "zh"),
])
def test_sentences_with_a_colon_are_not_speaker_labels(line, lang):
    assert speaker_label(line, lang) is None


@pytest.mark.parametrize("line", ["<  1  2  3 … 12  >", "上一页  1  2  3  …  12  下一页", "1 2 3 4 5"])
def test_pagination_strips_are_residue(line):
    assert is_residue(line)


@pytest.mark.parametrize("line", ["Thank you!", "2022", "谢谢！"])
def test_text_is_not_residue(line):
    assert not is_residue(line)


def test_seed_structure_title_turns_and_residue():
    parsed = parse_transcript(DEMO_EN.read_text(encoding="utf-8"), DEMO_EN, "en")
    assert parsed.title == "Press Center for 20th CPC National Congress: 4th press conference | October 31, 2022"
    assert [(p.turn, p.speaker) for p in parsed.items][:3] == [(0, None), (1, "Phoenix TV"), (2, "Ma Zhaoxu")]
    assert parsed.dropped_lines == (20,)
    assert all("<" not in p.text for p in parsed.items)


def test_speaker_labels_never_enter_sentences():
    doc = load_document(DEMO_ZH, "zh")
    assert not any(s.text.startswith(("马朝旭", "凤凰卫视记者")) for s in doc.sentences)
    assert doc.sentences[1].speaker == "凤凰卫视记者"
    assert doc.sentences[-1].speaker == "马朝旭"


def test_wrong_language_is_named(tmp_path):
    with pytest.raises(InputError, match="expected Chinese but the text is English"):
        load_document(DEMO_EN, "zh")


def test_traditional_chinese_is_accepted_and_kept(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("馬朝旭：\n你問到中國外交政策的目標。謝謝！\n", encoding="utf-8")
    doc = load_document(path, "zh")
    assert doc.texts == ["你問到中國外交政策的目標。", "謝謝！"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("source", [DEMO_EN, DEMO_ZH], ids=["English", "Chinese"])
def test_utf16_without_a_byte_order_mark_is_decoded(tmp_path, source, encoding):
    text = source.read_text(encoding="utf-8")
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


def test_english_utf16_without_a_byte_order_mark_keeps_its_sentences_and_turns(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(DEMO_EN.read_text(encoding="utf-8").encode("utf-16-le"))
    assert load_document(path, "en").sentences == load_document(DEMO_EN, "en").sentences


def test_chinese_only_utf16_without_newlines_or_ascii_is_decoded(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("你问到中国外交政策的目标。宗旨非常明确。".encode("utf-16-le"))
    assert read_text(path) == "你问到中国外交政策的目标。宗旨非常明确。"


def test_control_characters_are_removed_and_form_feeds_become_newlines(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("Thank you!\x0cNext page.\x1b\x7f Done\x85.\n".encode("utf-8"))
    assert read_text(path) == "Thank you!\nNext page. Done.\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_plain_ascii_english_in_utf16_without_a_byte_order_mark_is_not_read_as_utf8(tmp_path, encoding):
    text = "Ma Zhaoxu:\nThank you. The goal is clear.\n\nReporter: What is next?\n"
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text


@pytest.mark.parametrize("line,lang,label,rest", [
    ("Q: What is China's position?", "en", "Q", "What is China's position?"),
    ("A: Thank you for your question.", "en", "A", "Thank you for your question."),
    ("Q:", "en", "Q", ""),
    ("CCTV: My question is about trade.", "en", "CCTV", "My question is about trade."),
    ("China Daily: Could you elaborate?", "en", "China Daily", "Could you elaborate?"),
    ("The Paper: Thank you.", "en", "The Paper", "Thank you."),
    ("AFP: Two questions.", "en", "AFP", "Two questions."),
    ("Bloomberg:", "en", "Bloomberg", ""),
    ("Xinhua News Agency：Thank you.", "en", "Xinhua News Agency", "Thank you."),
    ("问：中方对此有何评论？", "zh", "问", "中方对此有何评论？"),
    ("答：中方的立场是一贯的。", "zh", "答", "中方的立场是一贯的。"),
    ("問：", "zh", "問", ""),
    ("新华社记者：请问发言人……", "zh", "新华社记者", "请问发言人……"),
    ("总台央视记者：我的问题是……", "zh", "总台央视记者", "我的问题是……"),
    ("總台央視記者：", "zh", "總台央視記者", ""),
    ("《环球时报》记者：据报道……", "zh", "《环球时报》记者", "据报道……"),
    ("《中國日報》記者:請問……", "zh", "《中國日報》記者", "請問……"),
    ("《人民日报》：", "zh", "《人民日报》", ""),
    ("彭博社记者：中方能否证实？", "zh", "彭博社记者", "中方能否证实？"),
    ("法新社记者：", "zh", "法新社记者", ""),
    ("澎湃新闻记者:第二个问题。", "zh", "澎湃新闻记者", "第二个问题。"),
    ("汪文斌：", "zh", "汪文斌", ""),
])
def test_speaker_labels_of_official_transcripts(line, lang, label, rest):
    assert speaker_label(line, lang) == (label, rest)


@pytest.mark.parametrize("line,lang", [
    ("We have one message for the world: peace.", "en"),
    ("China's position is clear: we oppose it.", "en"),
    ("The answer is simple: dialogue.", "en"),
    ("Answer: we will see.", "en"),
    ("会议指出：要坚持和平发展。", "zh"),
    ("他强调：", "zh"),
    ("《人民日报》报道：经济持续恢复。", "zh"),
    ("我想强调三点：第一，和平。", "zh"),
    ("中方認為：這是錯誤的。", "zh"),
])
def test_a_sentence_that_merely_contains_a_colon_is_not_a_label(line, lang):
    assert speaker_label(line, lang) is None


def test_q_and_a_labels_stay_out_of_the_sentences(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Press conference\nQ: What is the goal?\nA: Peace. Thank you.\n", encoding="utf-8")
    doc = load_document(path, "en")
    assert [(s.text, s.speaker) for s in doc.sentences][1:] == [("What is the goal?", "Q"), ("Peace.", "A"),
                                                               ("Thank you.", "A")]
