"""A memory in a read-only folder: the commands that only read it work; those that write say why not.

The folder is made read-only by a bind mount in a private mount namespace (`unshare -rm`), since root
ignores permission bits; without `unshare` the tests skip."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _can_unshare(), reason="needs `unshare -rm` to mount a folder read-only")

REVIEW = """
import sys
from fastapi.testclient import TestClient
from align.review.app import create_app
with TestClient(create_app(sys.argv[1]), base_url="http://127.0.0.1") as client:
    print(client.get("/api/documents").status_code, client.get("/api/search", params={"q": "命运共同体"}).status_code)
    answer = client.post("/api/documents/demo/edits", json={"version": 1, "op": "confirm", "bead": 1})
    print(answer.status_code, answer.json()["detail"])
"""


def _read_only(folder, *command):
    """Run `command` with `folder` mounted read-only over itself; (exit code, stdout, stderr)."""
    script = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && exec "$@"'
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", *command], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    return done.returncode, done.stdout, done.stderr


def test_search_lookup_and_export_work_on_a_memory_in_a_read_only_folder(memory_file, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    tm = folder / "m.sqlite"
    shutil.copy(memory_file, tm)
    for command in (["tm", "search", "命运共同体", "--limit", "1"], ["lookup", "human community with a shared future"],
                    ["export", "demo", "-o", str(tmp_path / "demo.tmx")]):
        code, out, err = _read_only(folder, sys.executable, "-m", "align", *command, "--tm", str(tm))
        assert (code, err) == (0, ""), command
    assert "人类命运共同体" in out or (tmp_path / "demo.tmx").is_file()
    assert (tmp_path / "demo.tmx").is_file()
    assert sorted(p.name for p in folder.iterdir()) == ["m.sqlite"]


def test_writing_to_a_memory_in_a_read_only_folder_names_the_folder(memory_file, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    tm = folder / "m.sqlite"
    shutil.copy(memory_file, tm)
    (tmp_path / "in.tmx").write_text('<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" '
                                     'o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en">'
                                     '<seg>Peace.</seg></tuv><tuv xml:lang="zh"><seg>和平。</seg></tuv></tu></body></tmx>')
    code, out, err = _read_only(folder, sys.executable, "-m", "align", "tm", "import", str(tmp_path / "in.tmx"), "--tm", str(tm))
    assert code == 2
    assert err.startswith(f"error: {tm}: its folder {folder} is read-only, and changing the memory needs files beside it (")
    assert err.rstrip().endswith("make the folder writable or copy the memory to one that is")


def test_the_review_server_serves_a_memory_in_a_read_only_folder_and_refuses_edits_with_the_reason(memory_file, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    tm = folder / "m.sqlite"
    shutil.copy(memory_file, tm)
    code, out, err = _read_only(folder, sys.executable, "-c", REVIEW, str(tm))
    assert code == 0, err
    reads, edit = out.splitlines()
    assert reads == "200 200"
    assert edit.startswith(f"400 {tm}: its folder {folder} is read-only")
