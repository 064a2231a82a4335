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
