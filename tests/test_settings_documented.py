"""Every environment variable Debrief reads is documented in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from debrief.lib.env import ConfigError, env_bool, env_int, env_list, env_path

ROOT = Path(__file__).resolve().parent.parent


def _read_variables() -> set[str]:
    names: set[str] = set()
    sources = [
        ROOT / "debrief" / f
        for f in ("settings.py", "privacy/keystore.py", "gunicorn_conf.py", "lib/arenas.py")
    ]
    for path in [*sources, *ROOT.glob("debrief/**/commands/*.py")]:
        text = path.read_text()
        names |= set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", text))
        names |= set(re.findall(r"environ\.get\(\s*\"([A-Z_]+)\"", text))
    return names


def test_every_variable_is_documented() -> None:
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/configuration.md").read_text(), re.M)
    )
    read = _read_variables()
    assert read, "found no variables: the pattern is wrong"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


@pytest.mark.parametrize("raw, expected", [("1", True), ("Yes", True), ("off", False), ("", False)])
def test_env_bool_reads_common_spellings(raw: str, expected: bool) -> None:
    assert env_bool("X", not expected, {"X": raw}) is expected


def test_env_bool_refuses_nonsense_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="DEBRIEF_DEBUG must be true or false"):
        env_bool("DEBRIEF_DEBUG", False, {"DEBRIEF_DEBUG": "maybe"})


def test_env_int_checks_numbers_and_minimums() -> None:
    assert env_int("N", 5, {}) == 5
    assert env_int("N", 5, {"N": " 12 "}) == 12
    with pytest.raises(ConfigError, match="whole number"):
        env_int("N", 5, {"N": "twelve"})
    with pytest.raises(ConfigError, match="at least 0"):
        env_int("N", 5, {"N": "-1"}, minimum=0)


def test_env_list_and_path() -> None:
    assert env_list("L", ["a"], {"L": "x, y,,z"}) == ["x", "y", "z"]
    assert env_list("L", ["a"], {}) == ["a"]
    assert env_path("P", Path("/d"), {"P": "~/x"}) == Path("~/x").expanduser()


def test_production_mode_passes_the_deployment_checklist(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, DEBRIEF_ENV="production", DEBRIEF_DATA_DIR=str(tmp_path))
    env["DEBRIEF_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    env.pop("DEBRIEF_SECRET_KEY", None)  # the generated key is long and random
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_debug(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, DEBRIEF_ENV="production", DEBRIEF_DEBUG="true")
    env["DEBRIEF_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBRIEF_DEBUG must be false" in result.stderr
    assert "Traceback" not in result.stderr
