"""End to end through the real ``flake8`` command and its entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BAD = "cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")"
APP = (
    "import sqlite3\n"
    "def find(name):\n"
    "    cur = sqlite3.connect('app.db').cursor()\n"
    f"    {BAD}\n"
    f"    {BAD}  # noqa: SEC001\n"
    "    cur.execute('SELECT * FROM users WHERE name = ?', (name,))\n"
)


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "flake8", "--isolated", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_reports_and_honours_noqa(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "SEC", "app.py")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()] == [["app.py:4:5:", "SEC001"]]


def test_cli_is_quiet_when_not_selected(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "--select", "E9", "app.py")
    assert proc.returncode == 0 and proc.stdout == ""


def test_cli_default_selection_includes_sec(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(APP)
    proc = flake8(tmp_path, "app.py")
    assert "SEC001" in proc.stdout


def test_plugin_is_registered() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True)
    assert "flake8-secure" in proc.stdout


@pytest.fixture()
def many_files(tmp_path: Path) -> Path:
    for i in range(12):
        (tmp_path / f"mod{i:02d}.py").write_text(APP.replace("users", f"users{i}"))
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_parallel_output_equals_serial(many_files: Path) -> None:
    serial = flake8(many_files, "--select", "SEC", "-j", "1", ".")
    parallel = flake8(many_files, "--select", "SEC", "-j", "2", ".")
    assert serial.stdout.count("SEC001") == 12
    assert serial.stdout == parallel.stdout
    assert "Traceback" not in serial.stderr + parallel.stderr


def test_syntax_errors_stay_flake8s(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    proc = flake8(tmp_path, "--select", "SEC,E999", "broken.py")
    assert "E999" in proc.stdout and "SEC" not in proc.stdout and "Traceback" not in proc.stderr


def test_bundled_example_reports_findings() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = flake8(root, "--select", "SEC", "examples")
    assert proc.returncode == 1, proc.stderr
    found = {ln.split()[1] for ln in proc.stdout.splitlines()}
    assert found == {"SEC001", "SEC002"}


TRANSPORT_APP = (
    "import os\n"
    "import requests\n"
    "from flask import Flask\n"
    "app = Flask(__name__)\n"
    "os.chmod('key.pem', 0o666)\n"
    "requests.get('http://cache.build.internal/x')\n"
    "app.run(host='0.0.0.0')\n"
)


def _codes(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in proc.stderr
    return [ln.split()[1] for ln in proc.stdout.splitlines()]


def test_cli_privileges_and_transport(tmp_path: Path) -> None:
    (tmp_path / "deploy.py").write_text(TRANSPORT_APP)
    assert _codes(flake8(tmp_path, "--select", "SEC", "deploy.py")) == ["SEC030", "SEC040"]
    # SEC033 is default off: only when named.
    assert _codes(flake8(tmp_path, "--select", "SEC,SEC033", "deploy.py")) == ["SEC030", "SEC040", "SEC033"]
    allowed = flake8(tmp_path, "--select", "SEC", "--secure-allowed-hosts", "*.internal", "deploy.py")
    assert _codes(allowed) == ["SEC030"]


def test_cli_reports_web_injection_with_source(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(
        "import requests\n"
        "from flask import Flask, request\n"
        "app = Flask(__name__)\n"
        "@app.route('/fetch')\n"
        "def fetch():\n"
        "    url = request.args['url']\n"
        "    requests.get(f'https://api.example.com/{url}')\n"
        "    requests.get(url)  # noqa: SEC018\n"
        "    return requests.get(url).text\n"
    )
    proc = flake8(tmp_path, "--select", "SEC", "views.py")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.splitlines() == [
        "views.py:9:12: SEC018 request.args['url'] (line 6) reaches requests.get(); "
        "fix the scheme and host in the code, or check the host against an allow-list (CWE-918)"
    ]


ERRORS_APP = (
    "import logging\n"
    "from flask import Flask, jsonify, request\n"
    "app = Flask(__name__)\n"
    "log = logging.getLogger(__name__)\n"
    "@app.route('/x')\n"
    "def view():\n"
    "    assert request.args['ok'] == 'yes'\n"
    "    log.info('token %s', request.args['token'])\n"
    "    try:\n"
    "        work()\n"
    "    except Exception as e:\n"
    "        return jsonify(error=str(e)), 500\n"
    "    try:\n"
    "        work()\n"
    "    except Exception:\n"
    "        pass\n"
    "app.run(debug=True)\n"
)


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--select", "SEC"], ["SEC022", "SEC020", "SEC021"]),
        (["--select", "SEC,SEC023"], ["SEC022", "SEC020", "SEC023", "SEC021"]),
        (["--select", "SEC", "--extend-select", "SEC023,SEC024"], ["SEC024", "SEC022", "SEC020", "SEC023", "SEC021"]),
        (["--select", "SEC02"], ["SEC024", "SEC022", "SEC020", "SEC023", "SEC021"]),
        ([], ["SEC022", "SEC020", "SEC021"]),
    ],
    ids=["select-sec", "select-by-code", "extend-select", "longer-prefix", "default-selection"],
)
def test_cli_errors_rules_and_default_off_selection(tmp_path: Path, args: list[str], codes: list[str]) -> None:
    (tmp_path / "app.py").write_text(ERRORS_APP)
    proc = flake8(tmp_path, *args, "app.py")
    assert "Traceback" not in proc.stderr
    assert [ln.split()[1] for ln in proc.stdout.splitlines() if " SEC" in ln] == codes


HANDLERS_APP = (
    "from flask import Flask, request, session\n"
    "from app.models import User\n"
    "app = Flask(__name__)\n"
    "@app.post('/prefs')\n"
    "def prefs():\n"
    "    session['role'] = request.form['role']\n"
    "    session['plan'] = request.form['plan']  # noqa: SEC011 -- plan is re-checked on every read\n"
    "    session['theme'] = 'dark' if request.form['t'] == 'dark' else 'light'\n"
    "    user = User(name=request.form['name'])\n"
    "    return {'id': User(**request.form).id}\n"
)


def test_cli_reports_handler_rules(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HANDLERS_APP)
    proc = flake8(tmp_path, "--select", "SEC010,SEC011", "app.py")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()] == [
        ["app.py:6:5:", "SEC011"], ["app.py:10:19:", "SEC010"],
    ]
    assert "request.form['role'] (line 6) reaches session['role']" in proc.stdout


def test_cli_strict_validation_from_setup_cfg(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(HANDLERS_APP)
    (tmp_path / "setup.cfg").write_text("[flake8]\nsecure-strict-validation = true\n")
    # Not --isolated: the option comes from setup.cfg.
    cmd = [sys.executable, "-m", "flake8", "--select", "SEC010", "app.py"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()] == [
        ["app.py:9:12:", "SEC010"], ["app.py:10:19:", "SEC010"],
    ]


def test_two_runs_and_file_order_give_the_same_findings(many_files: Path) -> None:
    names = sorted(p.name for p in many_files.iterdir())
    first = flake8(many_files, "--select", "SEC", "-j", "1", *names)
    again = flake8(many_files, "--select", "SEC", "-j", "1", *names)
    reverse = flake8(many_files, "--select", "SEC", "-j", "2", *reversed(names))
    assert first.stdout and first.stdout == again.stdout

    def by_file(out: str) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for line in out.splitlines():
            grouped.setdefault(line.split(":", 1)[0], []).append(line)
        return grouped

    assert by_file(reverse.stdout) == by_file(first.stdout)
