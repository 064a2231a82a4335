"""`python -m align review` as a user starts it: a real server process on 127.0.0.x."""

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from align.cli import main


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _serve(memory_file, host):
    port = _free_port(host)
    process = subprocess.Popen([sys.executable, "-m", "align", "review", "--tm", str(memory_file), "--host", host,
                                "--port", str(port), "--no-browser"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    return process, port, line


def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def test_review_prints_its_url_and_serves_the_stored_documents(memory_file):
    process, port, line = _serve(memory_file, "127.0.0.1")
    try:
        assert line.startswith(f"review page: http://127.0.0.1:{port}/   (memory {memory_file}")
        _wait_until_up(f"http://127.0.0.1:{port}/api/documents")
        status, body = _get(f"http://127.0.0.1:{port}/api/documents")
        assert status == 200 and [d["stem"] for d in body["documents"]] == ["demo"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_on_another_address_the_server_needs_the_printed_token(memory_file):
    process, port, line = _serve(memory_file, "127.0.0.2")
    try:
        url = line.split()[2]
        assert url.startswith(f"http://127.0.0.2:{port}/?token=") and len(url.split("token=")[1]) >= 24
        _wait_until_up(url)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.2:{port}/api/documents", timeout=30)
        assert refused.value.code == 401
        token = url.split("token=")[1]
        request = urllib.request.Request(f"http://127.0.0.2:{port}/api/documents",
                                         headers={"Authorization": f"Bearer {token}"})
        assert urllib.request.urlopen(request, timeout=30).status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str) -> None:
    import time

    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer in 30 s")


def test_a_port_in_use_is_bad_input(memory_file, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["review", "--tm", str(memory_file), "--port", str(port), "--no-browser"]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot listen on 127.0.0.1:{port} (")
