#!/usr/bin/env python3
"""Measure flake8-secure's overhead on large real code trees.

Three virtualenvs are built (or reused) under the work dir:

* ``floor``  -- flake8 only, no plugin: ``flake8 --select E9`` there is
  flake8's own floor, so ``plugin SEC / floor`` is the plugin's true cost;
* ``plugin`` -- flake8 plus this project, reinstalled from the repo root on
  every run so the current code is what gets measured;
* ``bandit`` -- bandit, for ``bandit -r`` on the same files.

Corpora (``--corpus``, default both): Django's ``django/`` package (a large
library, 885 files) and FlaskBB's ``flaskbb/`` package (a complete Flask
application: views, forms, models, auth, 103 files), each installed from
its wheel with ``pip --target`` (nothing of them is built or run). Each
command runs ``--repeat`` times on one core (``-j 1``), the commands
interleaved round by round (a shared machine's drift hits them alike); the
minimum wall time is reported, with ratios to the floor from that same run.

``--profile`` adds the in-process cost split (benchmarks/profile_split.py:
ast walk, taint, astroid building and inference, and how many files and
calls needed astroid); ``--scaling`` adds the cost of one generated module
of 1k to 50k lines (overhead per line should stay flat: linear growth).

``--handler`` runs only the taint engine's bar instead: one generated
handler of 2,000 lines (hundreds of branches, list and dict writes, request
data reaching sinks) timed in-process; it must take well under a second.

Usage: ``python benchmarks/bench.py [--corpus NAME] [--repeat N] [--tree PATH]
[--profile] [--scaling] [--no-bandit] [--json PATH]``, or
``python benchmarks/bench.py --handler [--repeat N] [--json PATH]``.
Needs no network except for the pip installs. Not part of any test run.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_WORK_DIR = BENCH_DIR / ".work"

FLAKE8_SPEC = "flake8"
BANDIT_SPEC = "bandit"


@dataclass(frozen=True)
class Corpus:
    spec: str
    package: str
    dirname: str
    pip_args: tuple[str, ...] = ()


CORPORA = {
    "django": Corpus("django==5.2.19", "django", "corpus"),
    # FlaskBB's wheel says Requires-Python >= 3.12; only its source is needed.
    "flaskbb": Corpus("flaskbb==2.2.0", "flaskbb", "corpus-flaskbb",
                      ("--only-binary=:all:", "--ignore-requires-python")),
}
CORPUS_SPEC = CORPORA["django"].spec
SCALING_LINES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
PLUGIN_PREFIX = "SEC"
MARKER = ".bench-ready.json"
PROJECT_MARKER = ".bench-project"
SNAPSHOT_SKIP = {".git", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                 ".tox", ".nox", ".venv", "venv"}
SNAPSHOT_SKIP_TOP = {"build", "dist"}

FINDING_RE = re.compile(r":\d+:\d+: ([A-Z]+[0-9]+) ")
PIP_FLAGS = ("--disable-pip-version-check", "--no-input", "--quiet")


class BenchError(Exception):
    """A setup or run failure with a message fit for the user."""


@dataclass
class Measurement:
    name: str
    env: str
    select: str
    command: list[str]
    runs: list[float] = field(default_factory=list)
    peak_mib: float = 0.0
    findings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    ratio: float = 1.0
    overhead_pct: float = 0.0


# --------------------------------------------------------------------------
# helpers


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def env_python(env: Path) -> Path:
    return bin_dir(env) / ("python.exe" if os.name == "nt" else "python")


def env_flake8(env: Path) -> Path:
    return bin_dir(env) / ("flake8.exe" if os.name == "nt" else "flake8")


def clean_environ() -> dict[str, str]:
    """The caller's environment minus anything that leaks into a venv."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PIP_USER"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def run_checked(cmd: Sequence[str | Path], what: str, cwd: Path | None = None) -> str:
    """Run a setup command; raise BenchError with its output on failure."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=clean_environ(),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).strip()
        tail = "\n".join(output.splitlines()[-30:])
        raise BenchError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def pip_install(env: Path, args: Sequence[str | Path], what: str) -> None:
    run_checked([env_python(env), "-m", "pip", "install", *PIP_FLAGS, *args], what)


def read_marker(directory: Path) -> dict[str, str] | None:
    try:
        data = json.loads((directory / MARKER).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_marker(directory: Path, data: dict[str, str]) -> None:
    (directory / MARKER).write_text(json.dumps(data, indent=2) + "\n")


# --------------------------------------------------------------------------
# setup


def ensure_venv(env: Path, packages: Sequence[str], python: str) -> None:
    """Create ``env`` with ``packages`` unless a matching one exists."""
    wanted = {"python": python, "packages": " ".join(packages)}
    if read_marker(env) == wanted and env_python(env).exists():
        log(f"reusing venv {env}")
        return
    log(f"creating venv {env}")
    run_checked([python, "-m", "venv", "--clear", env], f"creating venv {env}")
    pip_install(env, ["--upgrade", "pip"], f"upgrading pip in {env.name}")
    pip_install(env, packages, f"installing {' '.join(packages)} into {env.name}")
    write_marker(env, wanted)


def snapshot_project(work_dir: Path) -> Path:
    """Copy the repo to the work dir so pip's in-tree build leaves it clean."""
    if not any((REPO_ROOT / f).exists() for f in ("pyproject.toml", "setup.py")):
        raise BenchError(
            f"cannot install the plugin: {REPO_ROOT} has no pyproject.toml "
            "(or setup.py), so the project is not installable yet. "
            "Use --floor-only to benchmark flake8 alone."
        )
    dest = work_dir / "project-src"
    if dest.exists():
        shutil.rmtree(dest)

    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory).resolve() == REPO_ROOT
        return {
            n for n in names
            if n in SNAPSHOT_SKIP
            or n.endswith(".egg-info")
            or (top and n in SNAPSHOT_SKIP_TOP)
            or Path(directory, n).resolve() in (work_dir, DEFAULT_WORK_DIR)
        }

    shutil.copytree(REPO_ROOT, dest, ignore=ignore)
    return dest


def project_fingerprint() -> str:
    """Hash of the packaging metadata: a change means dependencies may differ."""
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "setup.py", "setup.cfg"):
        path = REPO_ROOT / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def install_project(env: Path, src: Path) -> None:
    """Install the project into the plugin env, fresh from the current tree.

    The first time (or when the packaging metadata changed) a full install
    brings in its dependencies; after that, a forced ``--no-deps`` reinstall.
    """
    marker = env / PROJECT_MARKER
    fingerprint = project_fingerprint()
    known = marker.exists() and marker.read_text() == fingerprint
    args: list[str | Path] = ["--force-reinstall", "--no-deps", src] if known else [src]
    log(f"installing project from {REPO_ROOT}" + (" (reinstall)" if known else ""))
    marker.unlink(missing_ok=True)
    try:
        pip_install(env, args, f"pip install {' '.join(map(str, args))}")
    except BenchError as exc:
        raise BenchError(f"{exc}\n\nthe plugin could not be installed from {REPO_ROOT}") from None
    marker.write_text(fingerprint)


def check_plugin_registered(env: Path) -> None:
    """Fail unless a flake8.extension entry point with the SEC prefix exists."""
    probe = (
        "import importlib.metadata as m\n"
        "print('\\n'.join(f'{e.name}={e.value}' for e in "
        "m.entry_points(group='flake8.extension')))\n"
    )
    out = run_checked([env_python(env), "-c", probe], "listing flake8 plugins")
    names = [line.split("=", 1)[0] for line in out.splitlines() if line]
    if not any(n.startswith(PLUGIN_PREFIX) for n in names):
        raise BenchError(
            f"the project installed, but registers no flake8.extension entry "
            f"point starting with {PLUGIN_PREFIX!r} (found: {names or 'none'}); "
            f"--select {PLUGIN_PREFIX} would measure nothing."
        )


def ensure_corpus(work_dir: Path, corpus: Corpus) -> Path:
    target = work_dir / corpus.dirname
    tree = target / corpus.package
    wanted = {"spec": corpus.spec}
    if read_marker(target) == wanted and tree.is_dir():
        log(f"reusing corpus {tree}")
        return tree
    log(f"installing corpus {corpus.spec} into {target}")
    target.mkdir(parents=True, exist_ok=True)
    run_checked(
        [sys.executable, "-m", "pip", "install", *PIP_FLAGS, "--no-deps", "--upgrade",
         *corpus.pip_args, "--target", target, corpus.spec],
        f"pip install --target {target} {corpus.spec}",
    )
    if not tree.is_dir():
        raise BenchError(f"{corpus.spec} installed, but {tree} does not exist")
    write_marker(target, wanted)
    return tree


def flake8_version(env: Path) -> str:
    out = run_checked([env_flake8(env), "--version"], f"flake8 --version in {env.name}")
    return " ".join(out.split()) or "?"


# --------------------------------------------------------------------------
# measuring


# Runs a command and reports its peak resident memory (the wrapper's only child).
PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'[bench-peak-kib] {peak}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)
PEAK_RE = re.compile(r"^\[bench-peak-kib\] (\d+)$", re.MULTILINE)


def run_flake8(m: Measurement, cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PEAK_WRAPPER, *m.command], cwd=cwd, env=clean_environ(),
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if match := PEAK_RE.search(proc.stderr):
        m.peak_mib = max(m.peak_mib, int(match.group(1)) / 1024)  # ru_maxrss is in KiB on Linux
    if m.env == "bandit":  # 1: issues found; bandit prints its own failures to stderr
        if proc.returncode not in (0, 1):
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
            raise BenchError(f"{m.name}: bandit failed (exit {proc.returncode}):\n{tail}")
        return elapsed, ""
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        tail = "\n".join(proc.stderr.strip().splitlines()[-30:])
        raise BenchError(f"{m.name}: flake8 failed (exit {proc.returncode}):\n{tail}")
    return elapsed, proc.stdout


def measure(ms: list[Measurement], repeat: int, cwd: Path) -> None:
    """Run each command ``repeat`` times, interleaved (a round of every
    command, then the next round): on a shared machine whose speed drifts,
    the commands compared see the same drift."""
    stdouts: dict[int, str] = {}
    for i in range(1, repeat + 1):
        for m in ms:
            elapsed, stdouts[id(m)] = run_flake8(m, cwd)
            m.runs.append(elapsed)
            log(f"{m.name}: run {i}/{repeat} {elapsed:.2f}s")
    for m in ms:
        counts: dict[str, int] = {}
        for line in stdouts[id(m)].splitlines():
            if match := FINDING_RE.search(line):
                counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        m.findings = dict(sorted(counts.items()))
        m.seconds = min(m.runs)


def make_measurement(name: str, env: Path, select: str, tree: Path) -> Measurement:
    cmd = [str(env_flake8(env)), "--isolated", "-j", "1", "--select", select, str(tree)]
    return Measurement(name=name, env=env.name, select=select, command=cmd)


def bandit_measurement(env: Path, tree: Path) -> Measurement:
    cmd = [str(bin_dir(env) / "bandit"), "-r", "-q", "-f", "txt", "-o", os.devnull, str(tree)]
    return Measurement(name="bandit -r", env=env.name, select="", command=cmd)


def label(m: Measurement) -> str:
    if m.env == "bandit":
        return "bandit: bandit -r"
    return f"{m.env}: flake8 --select {m.select}"


# --------------------------------------------------------------------------
# cost split (in-process) and file-size scaling


def run_profile(plugin_env: Path, tree: Path) -> str:
    """The in-process cost split, from the plugin venv (default-on rules)."""
    script = BENCH_DIR / "profile_split.py"
    return run_checked([env_python(plugin_env), script, tree], f"profiling {tree}")


SCALING_CHUNK = '''
TABLE_{i} = "orders_{i}"


@app.route("/orders/{i}/<int:order_id>")
def order_{i}(order_id):
    status = request.args.get("status", "open")
    query = "SELECT * FROM " + TABLE_{i} + " WHERE id = ?"
    rows = db.execute(query, (order_id,)).fetchall()
    if status not in ("open", "closed"):
        abort(400)
    return render(rows, status)


class Repository{i}:
    columns = ("id", "total", "status")

    def __init__(self, conn):
        self.conn = conn
        self.table = TABLE_{i}

    def find(self, order_id):
        sql = "SELECT {{}} FROM {{}} WHERE id = ?".format(", ".join(self.columns), self.table)
        return self.conn.execute(sql, (order_id,)).fetchone()

    def search(self, name):
        parts = ["SELECT id FROM", self.table, "WHERE name = ?"]
        return self.conn.execute(" ".join(parts), (name,)).fetchall()

    def export(self, path):
        with open(os.path.join("/srv/exports", os.path.basename(path)), "w") as out:
            for row in self.conn.execute("SELECT * FROM " + self.table):
                out.write(",".join(str(v) for v in row) + "\\n")


def total_{i}(rows):
    total = 0
    for row in rows:
        if row[2] == "closed":
            total += row[1]
        elif row[2] == "open":
            total -= row[1]
    return total
'''
SCALING_HEADER = (
    "import os\nimport sqlite3\nfrom flask import Flask, abort, request\n\n"
    "app = Flask(__name__)\ndb = sqlite3.connect('shop.db')\n\n\ndef render(rows, status):\n    return str(rows)\n"
)


def scaling_module(lines: int) -> str:
    chunk_lines = SCALING_CHUNK.count("\n")
    chunks = max(1, (lines - SCALING_HEADER.count("\n")) // chunk_lines)
    return SCALING_HEADER + "".join(SCALING_CHUNK.format(i=i) for i in range(chunks))


def run_scaling(work_dir: Path, floor_env: Path, plugin_env: Path, repeat: int) -> list[dict[str, float]]:
    """Floor and plugin time on one generated module per size."""
    directory = work_dir / "scaling"
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in SCALING_LINES:
        path = directory / f"module_{size}.py"
        path.write_text(scaling_module(size))
        floor = make_measurement(f"floor {size}", floor_env, "E9", path)
        plugin = make_measurement(f"plugin {size}", plugin_env, PLUGIN_PREFIX, path)
        # The default per-file guard (10 s) would cut the large modules short.
        plugin.command[1:1] = ["--secure-file-time-limit", "3600"]
        measure([floor, plugin], repeat, work_dir)
        n_lines = path.read_text().count("\n")
        extra = plugin.seconds - floor.seconds
        rows.append({"lines": n_lines, "floor_s": floor.seconds, "plugin_s": plugin.seconds,
                     "overhead_s": extra, "overhead_us_per_line": 1e6 * extra / n_lines,
                     "overhead_pct": 100.0 * extra / floor.seconds if floor.seconds else float("nan"),
                     "floor_peak_mib": floor.peak_mib, "plugin_peak_mib": plugin.peak_mib,
                     "findings": sum(plugin.findings.values())})
    return rows


def print_scaling(rows: list[dict[str, float]]) -> None:
    print("one generated module per size; -j 1 (each includes flake8's start-up); "
          "--secure-file-time-limit 3600 so the guard never cuts a module short:")
    print(f"{'lines':>7}  {'floor s':>8}  {'plugin s':>8}  {'overhead s':>10}  {'us/line':>8}  {'overhead':>8}"
          f"  {'floor MiB':>9}  {'plugin MiB':>10}  {'findings':>8}")
    for r in rows:
        print(f"{int(r['lines']):>7}  {r['floor_s']:>8.2f}  {r['plugin_s']:>8.2f}  {r['overhead_s']:>10.2f}  "
              f"{r['overhead_us_per_line']:>8.1f}  {r['overhead_pct']:>+7.1f}%"
              f"  {r['floor_peak_mib']:>9.0f}  {r['plugin_peak_mib']:>10.0f}  {int(r['findings']):>8}")


HANDLER_LINES = 2_000
HANDLER_BAR_SECONDS = 1.0
HANDLER_HEADER = '''import os
import sqlite3
import subprocess

from flask import Flask, abort, redirect, request

app = Flask(__name__)
db = sqlite3.connect("shop.db")
MODES = ("fast", "slow")


@app.route("/generated", methods=["POST"])
def generated():
    host = request.args.get("host", "localhost")
    name = request.form["name"]
    mode = request.args.get("mode", "fast")
    parts = ["ping", "-c", "1"]
    params = {"table": "orders", "order": "id"}
    rows = []
'''
# One block of a generated handler: two branches writing lists and dicts,
# request data reaching sinks, and safe twins (constant, int(), allow-list).
HANDLER_BLOCK = '''    if request.args.get("f{i}"):
        parts.append(host + "-{i}")
        params["k{i}"] = name.strip()
        rows.append({{"id": {i}, "who": name}})
    elif mode == "m{i}":
        parts.extend(["-W", str({i})])
        params["k{i}"] = "const-{i}"
    else:
        host = host.lower() + ".{i}"
        rows.append({{"id": {i}, "who": "system"}})
    if mode not in MODES:
        abort(400)
    count_{i} = int(request.args.get("n{i}", "1"))
    db.execute("SELECT * FROM orders_{i} WHERE id = ?", (count_{i},))
    subprocess.run(["ping", "-c", str(count_{i}), "localhost"])
    label_{i} = params.get("k{i}", "none") + rows[-1]["who"] if rows else "empty"
'''
HANDLER_FOOTER = '''    os.system(" ".join(parts))
    db.execute("SELECT * FROM " + params["table"] + " WHERE owner = '" + name + "'")
    with open(os.path.join("/srv/exports", host)) as fh:
        fh.read()
    subprocess.run("ping " + mode, shell=True)
    return redirect(request.args.get("next", "/"))
'''


def handler_module(lines: int = HANDLER_LINES) -> str:
    """One Flask handler of about ``lines`` lines: hundreds of ``if``/``elif``
    branches and container writes between request data and its sinks."""
    fixed = HANDLER_HEADER.count("\n") + HANDLER_FOOTER.count("\n")
    blocks = max(1, (lines - fixed) // HANDLER_BLOCK.count("\n"))
    return HANDLER_HEADER + "".join(HANDLER_BLOCK.format(i=i) for i in range(blocks)) + HANDLER_FOOTER


# Times the checker on one file in the plugin venv, with this repo's code
# first on sys.path (no reinstall: runs offline once the venv exists).
HANDLER_TIMER = """
import ast, json, sys, time
sys.path.insert(0, sys.argv[1])
from flake8_secure.plugin import Checker
from flake8_secure.registry import RULES, load_rules
from flake8_secure.settings import Settings
load_rules()
path, repeat = sys.argv[2], int(sys.argv[3])
source = open(path).read()
Checker.settings = Settings(enabled_codes=frozenset(r.code for r in RULES if r.default_on),
                            file_time_limit=3600.0)
runs, codes = [], []
for _ in range(repeat):
    tree = ast.parse(source)
    start = time.perf_counter()
    found = list(Checker(tree, source.splitlines(True), path).run())
    runs.append(time.perf_counter() - start)
    codes = sorted(text.split()[0] for _, _, text, _ in found)
print(json.dumps({"runs": runs, "codes": codes}))
"""


def run_handler(work_dir: Path, plugin_env: Path, repeat: int) -> dict[str, Any]:
    """The plugin's in-process time on one generated 2,000-line handler."""
    directory = work_dir / "handler"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"handler_{HANDLER_LINES}.py"
    source = handler_module()
    path.write_text(source)
    out = run_checked([env_python(plugin_env), "-c", HANDLER_TIMER, REPO_ROOT, path, str(repeat)],
                      f"timing the checker on {path}")
    data = json.loads(out.strip().splitlines()[-1])
    tree = ast.parse(source)
    branches = sum(isinstance(n, ast.If) for n in ast.walk(tree))
    writes = sum(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr in ("append", "extend") for n in ast.walk(tree))
    writes += sum(isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store) for n in ast.walk(tree))
    runs = data["runs"]
    counts: dict[str, int] = {}
    for code in data["codes"]:
        counts[code] = counts.get(code, 0) + 1
    return {"path": str(path), "lines": source.count("\n"), "branches": branches, "container_writes": writes,
            "runs": runs, "seconds": min(runs), "findings": counts, "bar_seconds": HANDLER_BAR_SECONDS}


def print_handler(result: dict[str, Any]) -> None:
    seconds = float(result["seconds"])
    verdict = "under" if seconds < HANDLER_BAR_SECONDS else "OVER"
    print(f"generated handler: {result['lines']} lines in one function, {result['branches']} if/elif statements, "
          f"{result['container_writes']} list/dict writes")
    print(f"  plugin in-process (default-on rules, min of {len(result['runs'])}): "
          f"{seconds * 1000:.0f} ms, {verdict} the {HANDLER_BAR_SECONDS:.0f} s bar")
    findings = ", ".join(f"{code} x{n}" for code, n in result["findings"].items())
    print(f"  findings: {findings or 'none'}")


# --------------------------------------------------------------------------
# reporting


def print_table(results: list[Measurement], sec_findings: int | None) -> None:
    headers = ("command", "seconds", "ratio", "overhead", "peak MiB")
    rows = [
        (label(m), f"{m.seconds:.2f}",
         f"{m.ratio:.2f}x", f"{m.overhead_pct:+.1f}%", f"{m.peak_mib:.0f}")
        for m in results
    ]
    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers))]

    def fmt(cells: Sequence[str]) -> str:
        # First column left-aligned, numbers right-aligned.
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * w for w in widths)
    print("\n".join([rule, fmt(headers), rule, *map(fmt, rows), rule]))
    if sec_findings is not None:
        print(f"{PLUGIN_PREFIX} findings: {sec_findings}")


def count_files(tree: Path) -> int:
    return sum(1 for _ in tree.rglob("*.py"))


# --------------------------------------------------------------------------
# main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                   help="cache dir for the venvs and the corpus (default: benchmarks/.work)")
    p.add_argument("--corpus", action="append", choices=sorted(CORPORA),
                   help="corpus to lint (repeatable; default: all of them)")
    p.add_argument("--tree", type=Path,
                   help="directory to lint instead of the corpora")
    p.add_argument("--repeat", type=int, default=3,
                   help="runs per command; the minimum is reported (default: 3)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    p.add_argument("--floor-only", action="store_true",
                   help="skip the plugin env (for when the project is not installable)")
    p.add_argument("--no-bandit", action="store_true", help="skip the bandit comparison")
    p.add_argument("--profile", action="store_true",
                   help="also print the in-process cost split (walk, taint, astroid) per tree")
    p.add_argument("--scaling", action="store_true",
                   help="also time one generated module of 1k..50k lines (linear growth)")
    p.add_argument("--editor", action="store_true",
                   help="also time one median-size and the largest file of each tree linted alone")
    p.add_argument("--handler", action="store_true",
                   help="only time the plugin on one generated 2,000-line handler (no corpora, no bandit)")
    p.add_argument("--python", default=sys.executable,
                   help="interpreter used to create the venvs (default: this one)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if args.tree is not None and not args.tree.is_dir():
        p.error(f"--tree {args.tree} is not a directory")
    return args


def measure_tree(args: argparse.Namespace, tree: Path, envs: dict[str, Path], work_dir: Path) -> dict[str, object]:
    results = [make_measurement("floor E9", envs["floor"], "E9", tree)]
    if "plugin" in envs:
        results += [
            make_measurement(f"plugin {PLUGIN_PREFIX}", envs["plugin"], PLUGIN_PREFIX, tree),
            make_measurement("plugin E9", envs["plugin"], "E9", tree),
        ]
    if "bandit" in envs:
        results.append(bandit_measurement(envs["bandit"], tree))

    n_files = count_files(tree)
    log(f"linting {tree} ({n_files} .py files), -j 1, repeat {args.repeat}")
    measure(results, args.repeat, work_dir)

    floor = results[0].seconds
    for m in results:
        m.ratio = m.seconds / floor if floor else float("nan")
        m.overhead_pct = (m.ratio - 1.0) * 100.0

    sec_findings = None
    if "plugin" in envs:
        sec_findings = sum(n for code, n in results[1].findings.items() if code.startswith(PLUGIN_PREFIX))

    print(f"\ntree: {tree} ({n_files} .py files); -j 1; min of {args.repeat}")
    print_table(results, sec_findings)
    if "plugin" in envs and "bandit" in envs:
        plugin_extra = results[1].seconds - floor
        print(f"plugin's own cost {plugin_extra:.2f} s vs bandit -r {results[-1].seconds:.2f} s "
              f"({results[-1].seconds / plugin_extra if plugin_extra > 0 else float('nan'):.1f}x)")
    editor = None
    if args.editor and "plugin" in envs:
        editor = run_editor(envs, tree, args.repeat, work_dir)
        print_editor(editor)
    split = None
    if args.profile and "plugin" in envs:
        split = run_profile(envs["plugin"], tree)
        print("cost split, in-process (default-on rules):")
        print("\n".join("  " + line for line in split.splitlines()))
    return {"tree": str(tree), "py_files": n_files, "sec_findings": sec_findings,
            "results": [asdict(m) for m in results], "profile": split, "editor": editor}


def editor_files(tree: Path) -> list[Path]:
    """A file of median size and the largest file of the tree: what an editor lints on save."""
    files = sorted((p.stat().st_size, p) for p in tree.rglob("*.py") if p.is_file() and p.stat().st_size)
    return [files[len(files) // 2][1], files[-1][1]] if files else []


def run_editor(envs: dict[str, Path], tree: Path, repeat: int, work_dir: Path) -> list[dict[str, object]]:
    """One file linted alone, as an editor does on save: flake8 alone against
    flake8 with the plugin, start-up included (min of 5x the repeat count)."""
    rows: list[dict[str, object]] = []
    for path in editor_files(tree):
        floor = make_measurement("editor floor", envs["floor"], "E9", path)
        plugin = make_measurement("editor plugin", envs["plugin"], PLUGIN_PREFIX, path)
        measure([floor, plugin], 5 * repeat, work_dir)
        rows.append({"file": str(path.relative_to(tree)), "lines": path.read_text(errors="replace").count("\n"),
                     "floor_s": floor.seconds, "plugin_s": plugin.seconds,
                     "added_s": plugin.seconds - floor.seconds})
    return rows


def print_editor(rows: list[dict[str, object]]) -> None:
    print("single file, as linted by an editor (flake8 start-up included):")
    for row in rows:
        print(f"  {row['file']} ({row['lines']} lines): floor {row['floor_s']:.3f} s, "
              f"with SEC {row['plugin_s']:.3f} s, added {row['added_s']:.3f} s")


def run_handler_mode(args: argparse.Namespace, work_dir: Path) -> int:
    """``--handler``: the generated handler only.  The plugin venv is built
    once (network for pip); later runs use this repo's code from sys.path."""
    plugin_env = work_dir / "plugin"
    if not (plugin_env / PROJECT_MARKER).exists():
        ensure_venv(plugin_env, [FLAKE8_SPEC], args.python)
        install_project(plugin_env, snapshot_project(work_dir))
    result = run_handler(work_dir, plugin_env, args.repeat)
    print_handler(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"handler": result, "repeat": args.repeat,
                                         "python": platform.python_version()}, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 0


def run(args: argparse.Namespace) -> int:
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.handler:
        return run_handler_mode(args, work_dir)
    envs = {"floor": work_dir / "floor"}

    src = None if args.floor_only else snapshot_project(work_dir)  # fails fast
    ensure_venv(envs["floor"], [FLAKE8_SPEC], args.python)
    if src is not None:
        envs["plugin"] = work_dir / "plugin"
        ensure_venv(envs["plugin"], [FLAKE8_SPEC], args.python)
        install_project(envs["plugin"], src)
        check_plugin_registered(envs["plugin"])
    if not args.no_bandit:
        envs["bandit"] = work_dir / "bandit"
        ensure_venv(envs["bandit"], [BANDIT_SPEC], args.python)

    if args.tree:
        trees = {"tree": args.tree.resolve()}
    else:
        trees = {name: ensure_corpus(work_dir, CORPORA[name]) for name in (args.corpus or sorted(CORPORA))}

    versions = {"floor": flake8_version(envs["floor"])}  # also warms up the env
    if "plugin" in envs:
        versions["plugin"] = flake8_version(envs["plugin"])
        if versions["plugin"].split()[0] != versions["floor"].split()[0]:
            log(f"WARNING: flake8 versions differ: {versions}")

    measured = {name: measure_tree(args, tree, envs, work_dir) for name, tree in trees.items()}
    scaling = None
    if args.scaling and "plugin" in envs:
        scaling = run_scaling(work_dir, envs["floor"], envs["plugin"], args.repeat)
        print()
        print_scaling(scaling)

    if args.json:
        payload = {
            "corpora": {name: CORPORA[name].spec for name in trees if name in CORPORA},
            "trees": measured,
            "scaling": scaling,
            "repeat": args.repeat,
            "jobs": 1,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "flake8": versions,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except BenchError as exc:
        print(f"bench.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
