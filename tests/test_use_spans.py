"""USE span encodings composed from the sentence pass (align/score/use_network.py): the network in our code
gives the package's vectors, and a span composed from its sentences' parts gives the package's encoding of
the joined text, with only the tokens around the joins run again."""

import numpy as np
import pytest

from align.score.embed import CachedEncoder, USEEncoder
from align.score.use_network import HEAD, REACH, TAIL, _plan

from conftest import DEMO_EN, DEMO_ZH

ZH = [line for line in DEMO_ZH.read_text(encoding="utf-8").splitlines() if line.strip()][:40]
EN = [line for line in DEMO_EN.read_text(encoding="utf-8").splitlines() if line.strip()][:40]


@pytest.fixture(scope="module")
def encoder():
    return USEEncoder()


def _spans(sentences, joiner, sizes=(2, 3, 4)):
    return [(sentences[k:k + n], joiner) for n in sizes for k in range(len(sentences) - n + 1)]


def test_our_network_gives_the_packages_sentence_vectors_bit_for_bit(encoder):
    texts = ZH + EN
    ours = encoder.encode(texts)
    theirs = np.concatenate([encoder.package.encode(texts[i:i + encoder.batch])
                             for i in range(0, len(texts), encoder.batch)])
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("sentences, joiner", [(ZH, ""), (EN, " ")], ids=["chinese", "english"])
def test_composed_spans_agree_with_the_packages_encoding_of_the_joined_text(encoder, sentences, joiner):
    spans = _spans(sentences, joiner)
    composed = CachedEncoder(encoder).encode_spans(spans)
    package = encoder.package.encode([joiner.join(s) for s, _ in spans])
    cosines = (composed * package).sum(axis=1)
    assert len(spans) == 3 * len(sentences) - 6
    assert cosines.min() > 0.99999


def test_summing_the_sentences_features_without_the_joins_is_far_from_the_joined_text(encoder):
    """What the composition corrects: with the joins ignored, the same spans lie far below the agreement
    asserted above (median cosine about 0.88 on MAC-Dev and the Bible, `bench spans`)."""
    _, parts = encoder.encode_parts(EN)
    spans = [parts[k:k + 2] for k in range(len(EN) - 1)]
    ignored = encoder.network.finish(np.array([a.sums.sum(axis=0) + b.sums.sum(axis=0) for a, b in spans]),
                                     np.array([len(a.ids) + len(b.ids) for a, b in spans]))
    package = encoder.package.encode([f"{a} {b}" for a, b in zip(EN, EN[1:])])
    assert np.median((ignored * package).sum(axis=1)) < 0.99


def test_a_single_sentence_composed_from_its_parts_is_its_own_vector(encoder):
    vectors, parts = encoder.encode_parts(EN[:5])
    composed = encoder.compose_spans([[p] for p in parts], EN[:5])
    assert np.allclose((composed * vectors).sum(axis=1), 1.0, atol=1e-6)
    assert all(_plan([p], list(p.ids)).runs == () for p in parts)


def test_english_spans_reuse_each_sentences_middle_and_run_only_the_tokens_near_the_join(encoder):
    first = "The Belt and Road Initiative is a public good open to all countries."
    second = "China stays committed to taking concrete actions for peace and development."
    _, (a, b) = encoder.encode_parts([first, second])
    joined = encoder.token_ids([f"{first} {second}"])[0]
    assert joined == list(a.ids[:-1] + b.ids[1:])     # English tokens are the sentences' own
    plan = _plan([a, b], joined)
    assert plan.reused == ((0, 0), (0, 1), (1, 1), (1, 2))
    join = len(a.ids) - 1     # b's first token in the joined text
    # a's last TAIL - 1 tokens and b's first HEAD - 1, with REACH tokens of context either side
    assert plan.runs == ((join - (TAIL - 1) - REACH, join - (TAIL - 1), join + HEAD - 1, join + HEAD - 1 + REACH),)


def test_chinese_spans_find_the_next_sentence_without_its_dummy_prefix(encoder):
    first, second = "中国始终以实际行动推动构建人类命运共同体。", "我们愿同各国一道，共同应对全球性挑战，实现共同发展。"
    _, (a, b) = encoder.encode_parts([first, second])
    joined = encoder.token_ids([first + second])[0]
    assert joined != list(a.ids[:-1] + b.ids[1:])       # the join changes b's first token
    assert _plan([a, b], joined).reused == ((0, 0), (0, 1), (1, 1), (1, 2))


def test_a_span_whose_sentences_are_not_found_in_its_text_is_computed_whole(encoder):
    """A blank sentence is encoded as "." but joined as nothing: its tokens are not in the span's text."""
    cached = CachedEncoder(encoder)
    spans = [(["Thank you.", "   ", "Peace and development."], " ")]
    composed = cached.encode_spans(spans)
    package = encoder.package.encode(["Thank you.     Peace and development."])
    assert float(composed[0] @ package[0]) > 0.99999


def test_the_cache_runs_each_sentence_once_and_encodes_span_texts_only_for_encoders_that_cannot_compose(encoder):
    cached = CachedEncoder(encoder)
    cached.encode(EN[:6], parts=True)
    before = encoder.network.sentence_tokens
    cached.encode_spans(_spans(EN[:6], " "))
    assert encoder.network.sentence_tokens == before

    class TextsOnly:
        name = "texts only"

        def __init__(self):
            self.texts = []

        def encode(self, texts, progress=False):
            self.texts += texts
            return encoder.encode(texts)

    texts_only = TextsOnly()
    CachedEncoder(texts_only).encode_spans([(EN[:2], " "), (ZH[:2], "")])
    assert texts_only.texts == [f"{EN[0]} {EN[1]}", ZH[0] + ZH[1]]


def test_a_plain_pass_gives_the_same_vectors_and_keeps_no_parts_until_spans_ask_for_them(encoder):
    vectors, parts = encoder.encode_parts(ZH + EN)
    assert np.array_equal(encoder.encode(ZH + EN), vectors) and len(parts) == len(ZH + EN)
    cached = CachedEncoder(encoder)
    assert np.array_equal(cached.encode(EN[:6]), encoder.encode_parts(EN[:6])[0]) and not cached._parts
    before = encoder.network.sentence_tokens
    spans = _spans(EN[:6], " ")
    assert np.array_equal(cached.encode_spans(spans), CachedEncoder(encoder).encode_spans(spans))
    assert set(cached._parts) == set(EN[:6])          # run once more, for their parts
    assert encoder.network.sentence_tokens > before


def test_fast_keeps_no_parts_and_the_default_keeps_them_for_its_span_encodings():
    from align.aligners import get_aligner
    from align.score.embed import forget_vectors, get_encoder

    forget_vectors()
    get_aligner("fast").align(ZH[:30], EN[:30], "zh", "en")
    cached = get_encoder("use")
    assert set(ZH[:30] + EN[:30]) <= set(cached._vectors) and not cached._parts
    get_aligner("combined").align(ZH[:30], EN[:30], "zh", "en")
    assert set(ZH[:30] + EN[:30]) <= set(cached._parts)


def test_the_weight_fit_sees_every_span_composed_as_the_packages_encoding_of_its_text(encoder):
    from align.aligners.combined import ENCODED_SPAN, CombinedAligner
    from align.aligners.spans import centre
    from align.score.embed import get_encoder

    zh, en = ZH[:12], EN[:12]
    network = get_encoder("use").encoder.network
    before = network.span_text_tokens, network.span_tokens
    features = CombinedAligner().fitting_cost(zh, en).margins["use"]
    text_tokens, run = network.span_text_tokens - before[0], network.span_tokens - before[1]
    assert text_tokens == sum(len(ids) for ids in encoder.token_ids(
        [joiner.join(s) for side, joiner in ((zh, ""), (en, " ")) for s, _ in _spans(side, joiner)]))
    assert run < text_tokens / 3
    for spans, sentences, joiner in ((features.src_spans, zh, ""), (features.tgt_spans, en, " ")):
        for n in range(2, ENCODED_SPAN + 1):
            package = encoder.package.encode([joiner.join(sentences[k:k + n]) for k in range(len(sentences) - n + 1)])
            assert spans.known[n].all()
            assert np.allclose(spans.vectors[n], centre(package, spans.mean), atol=1e-5)
