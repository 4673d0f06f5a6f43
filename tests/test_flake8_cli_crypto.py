"""End to end through ``flake8``: the cryptography/secrets rules, and SEC099
(default off) against flake8's own noqa handling."""

from __future__ import annotations

from pathlib import Path

from tests.test_flake8_cli import flake8

APP = (
    "import hashlib\n"
    "import random\n"
    "SECRET_KEY = 'kx9-dev-2024'\n"
    "def reset_token():\n"
    "    return str(random.getrandbits(64))\n"
    "a = hashlib.md5(b'x').hexdigest()  # noqa: SEC051\n"
    "b = hashlib.md5(b'x').hexdigest()  # noqa: SEC051 -- legacy export checksum\n"
    "c = hashlib.md5(b'x').hexdigest()  # noqa\n"
    "d = hashlib.md5(b'x', usedforsecurity=False).hexdigest()\n"
)


def reported(stdout: str) -> list[tuple[str, str]]:
    return [(ln.split(":")[1], ln.split(" ")[1]) for ln in stdout.splitlines()]


def test_cli_crypto_rules_and_noqa(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "SEC", "app.py")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert reported(proc.stdout) == [("3", "SEC053"), ("5", "SEC052")]


def test_cli_sec099_needs_its_code(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "SEC,SEC099", "app.py")
    assert "Traceback" not in proc.stderr
    # Line 6's noqa names SEC051 only, so SEC099 survives it; line 7 has a
    # reason; line 8's bare noqa silences everything, SEC099 included.
    assert reported(proc.stdout) == [("3", "SEC053"), ("5", "SEC052"), ("6", "SEC099")]


def test_cli_sec099_audit_with_disable_noqa(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "SEC,SEC099", "--disable-noqa", "app.py")
    found = reported(proc.stdout)
    assert ("8", "SEC099") in found and ("6", "SEC099") in found and ("7", "SEC099") not in found
    assert [c for line, c in found if line in ("6", "7", "8")].count("SEC051") == 3
