import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MAC_DEV = SHARED / "data" / "mac-dev"
BIBLE = SHARED / "data" / "bible"
DEMO_STEM = "20th-cpc-congress-press-center-4th-press-conference"
DEMO_EN = ROOT / "corpora" / "en" / f"{DEMO_STEM}.en.txt"
DEMO_ZH = ROOT / "corpora" / "zh" / f"{DEMO_STEM}.zh.txt"
DEMO_GOLD = ROOT / "corpora" / "gold" / f"{DEMO_STEM}.align"

needs_mac_dev = pytest.mark.skipif(not MAC_DEV.is_dir(), reason=f"MAC-Dev data not found at {MAC_DEV} (../shared is absent)")


@pytest.fixture(autouse=True)
def _inside_tmp_path(tmp_path, monkeypatch):
    """Every test runs in its own empty folder: the CLI's relative defaults (tmx/memory.sqlite,
    corpora/) never touch the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def demo_memory_file(tmp_path_factory):
    """A memory built once by `run` on the demo pair; tests copy it."""
    from align.cli import main

    folder = tmp_path_factory.mktemp("demo-memory")
    assert main(["run", "--en", str(DEMO_EN), "--zh", str(DEMO_ZH), "-o", str(folder / "demo.tmx"),
                 "--tm", str(folder / "m.sqlite")]) == 0
    return folder / "m.sqlite"


@pytest.fixture
def memory_file(demo_memory_file, tmp_path):
    """A copy of the demo memory (units and the stored alignment `demo`) that a test may change."""
    path = tmp_path / "m.sqlite"
    shutil.copy(demo_memory_file, path)
    return path
