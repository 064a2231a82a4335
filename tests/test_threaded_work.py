"""Work shared out to threads (`align.threads`): how many threads, every item done once, and the same numbers
bit for bit as one thread on real input (the bead costs' blocks, the forward and backward sums, pass 3's groups
of span tokens, and a whole alignment)."""

import threading

import numpy as np
import pytest

from align import threads
from align.aligners import dp
from align.aligners.combined import ALL_KINDS, CombinedAligner
from align.ingest import read_lines
from align.score.embed import CachedEncoder, USEEncoder
from conftest import MAC_DEV, needs_mac_dev

SETTINGS = ("ALIGN_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


@pytest.fixture
def no_thread_settings(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_thread_count_is_align_threads_then_the_blas_setting_then_the_cores(no_thread_settings):
    monkeypatch = no_thread_settings
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    assert threads.count() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert threads.count() == 2
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")     # a Dask worker given one core's share
    assert threads.count() == 1
    monkeypatch.setenv("ALIGN_THREADS", "4")
    assert threads.count() == 4
    monkeypatch.setenv("ALIGN_THREADS", "none")          # not a number: the next setting decides
    assert threads.count() == 1


def test_each_item_is_done_once_and_two_threads_share_them():
    seen, where = [], set()
    lock = threading.Lock()

    def work(item):
        with lock:
            seen.append(item)
            where.add(threading.get_ident())
        threading.Event().wait(0.002)

    threads.each(work, range(40), threads=2)
    assert sorted(seen) == list(range(40))
    assert len(where) == 2
    seen.clear()
    threads.each(work, range(5), threads=1)
    assert seen == [0, 1, 2, 3, 4]


def test_a_helper_threads_exception_is_raised_in_the_caller():
    def work(item):
        if item == 7 and threading.current_thread() is not threading.main_thread():
            raise ValueError("item 7")
        threading.Event().wait(0.002)

    with pytest.raises(ValueError, match="item 7"):
        for _ in range(20):     # until a helper takes item 7
            threads.each(work, range(10), threads=2)


@pytest.fixture(scope="module")
def chapter_cost():
    """MAC-Dev chapter 002 as the default aligner costs it, every span of up to 4 sentences encoded, in a band of
    40 sentences around the diagonal."""
    zh, en = read_lines(MAC_DEV / "zh" / "002.zh"), read_lines(MAC_DEV / "en" / "002.en")
    diagonal = [(i, i * len(en) // len(zh)) for i in range(len(zh) + 1)]
    band = dp.band_around(diagonal, len(zh), len(en), 40)
    return CombinedAligner().fitting_cost(zh, en), band


@needs_mac_dev
def test_bead_costs_scored_by_two_threads_equal_one_threads_bit_for_bit(chapter_cost, monkeypatch):
    cost, band = chapter_cost
    layout = dp._Layout(band)
    monkeypatch.setattr(dp, "BLOCK_BEADS", 100)     # some 900 blocks
    one = dp._cost_rows(cost, ALL_KINDS, layout, 0, len(layout.lo), threads=1)
    two = dp._cost_rows(cost, ALL_KINDS, layout, 0, len(layout.lo), threads=2)
    for serial, threaded in zip(one, two):
        assert np.array_equal(serial.view(np.int64), threaded.view(np.int64))


@needs_mac_dev
def test_forward_and_backward_sums_on_two_threads_equal_one_threads_bit_for_bit(chapter_cost, monkeypatch):
    cost, band = chapter_cost
    cached = dp.CachedCost(cost, band)
    monkeypatch.setenv("ALIGN_THREADS", "1")
    one = dp.Posteriors(cached, ALL_KINDS, band, 1.3)
    monkeypatch.setenv("ALIGN_THREADS", "2")
    two = dp.Posteriors(cached, ALL_KINDS, band, 1.3)
    for table in ("forward", "any", "backward"):
        assert np.array_equal(getattr(one, table).view(np.int64), getattr(two, table).view(np.int64))
    assert one.total == two.total and np.isfinite(one.total)


@needs_mac_dev
def test_span_encodings_composed_on_two_threads_equal_one_threads_bit_for_bit(monkeypatch):
    zh, en = read_lines(MAC_DEV / "zh" / "002.zh"), read_lines(MAC_DEV / "en" / "002.en")
    spans = [(side[k:k + n], joiner) for side, joiner in ((zh, ""), (en, " ")) for n in (2, 3, 4)
             for k in range(len(side) - n + 1)]
    encoded = {}
    for count in ("1", "2"):
        monkeypatch.setenv("ALIGN_THREADS", count)
        encoder = CachedEncoder(USEEncoder())
        encoded[count] = encoder.encode_spans(spans)
    assert encoder.encoder.network.span_tokens > 20 * 384     # many groups of runs to share out
    assert np.array_equal(encoded["1"].view(np.int32), encoded["2"].view(np.int32))


@needs_mac_dev
def test_an_alignment_with_two_threads_equals_one_threads_beads_and_confidences(monkeypatch):
    zh, en = read_lines(MAC_DEV / "zh" / "002.zh"), read_lines(MAC_DEV / "en" / "002.en")
    found = {}
    for count in ("1", "2"):
        monkeypatch.setenv("ALIGN_THREADS", count)
        found[count] = CombinedAligner().align(zh, en, "zh", "en")
    assert found["1"] == found["2"]
    assert len(found["1"]) > 200
