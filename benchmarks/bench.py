#!/usr/bin/env python3
"""Measure flake8-secure's overhead on a large real code tree.

Two virtualenvs are built (or reused) under the work dir:

* ``floor``  -- flake8 only, no plugin;
* ``plugin`` -- flake8 plus this project, reinstalled from the repo root on
  every run so the current code is what gets measured.

The default corpus is Django's source, installed with ``pip --target`` into
the work dir. Each flake8 command runs ``--repeat`` times on one core
(``-j 1``) and the minimum wall time is reported.

Usage: ``python benchmarks/bench.py [--repeat N] [--tree PATH] [--json PATH]``.
Needs no network except for the pip installs. Not part of any test run.
"""

from __future__ import annotations

import argparse
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
from typing import Sequence

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_WORK_DIR = BENCH_DIR / ".work"

FLAKE8_SPEC = "flake8"
CORPUS_SPEC = "django==5.2.19"
CORPUS_PACKAGE = "django"
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


def ensure_corpus(work_dir: Path, spec: str) -> Path:
    target = work_dir / "corpus"
    tree = target / CORPUS_PACKAGE
    wanted = {"spec": spec}
    if read_marker(target) == wanted and tree.is_dir():
        log(f"reusing corpus {tree}")
        return tree
    log(f"installing corpus {spec} into {target}")
    target.mkdir(parents=True, exist_ok=True)
    run_checked(
        [sys.executable, "-m", "pip", "install", *PIP_FLAGS, "--no-deps", "--upgrade",
         "--target", target, spec],
        f"pip install --target {target} {spec}",
    )
    if not tree.is_dir():
        raise BenchError(f"{spec} installed, but {tree} does not exist")
    write_marker(target, wanted)
    return tree


def flake8_version(env: Path) -> str:
    out = run_checked([env_flake8(env), "--version"], f"flake8 --version in {env.name}")
    return " ".join(out.split()) or "?"


# --------------------------------------------------------------------------
# measuring


def run_flake8(m: Measurement, cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(m.command, cwd=cwd, env=clean_environ(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        tail = "\n".join(proc.stderr.strip().splitlines()[-30:])
        raise BenchError(f"{m.name}: flake8 failed (exit {proc.returncode}):\n{tail}")
    return elapsed, proc.stdout


def measure(m: Measurement, repeat: int, cwd: Path) -> None:
    for i in range(1, repeat + 1):
        elapsed, stdout = run_flake8(m, cwd)
        m.runs.append(elapsed)
        log(f"{m.name}: run {i}/{repeat} {elapsed:.2f}s")
    counts: dict[str, int] = {}
    for line in stdout.splitlines():
        if match := FINDING_RE.search(line):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    m.findings = dict(sorted(counts.items()))
    m.seconds = min(m.runs)


def make_measurement(name: str, env: Path, select: str, tree: Path) -> Measurement:
    cmd = [str(env_flake8(env)), "--isolated", "-j", "1", "--select", select, str(tree)]
    return Measurement(name=name, env=env.name, select=select, command=cmd)


# --------------------------------------------------------------------------
# reporting


def print_table(results: list[Measurement], sec_findings: int | None) -> None:
    headers = ("command", "seconds", "ratio", "overhead")
    rows = [
        (f"{m.env}: flake8 --select {m.select}", f"{m.seconds:.2f}",
         f"{m.ratio:.2f}x", f"{m.overhead_pct:+.1f}%")
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
    p.add_argument("--tree", type=Path,
                   help=f"directory to lint instead of the {CORPUS_SPEC} corpus")
    p.add_argument("--repeat", type=int, default=3,
                   help="runs per command; the minimum is reported (default: 3)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    p.add_argument("--floor-only", action="store_true",
                   help="skip the plugin env (for when the project is not installable)")
    p.add_argument("--python", default=sys.executable,
                   help="interpreter used to create the venvs (default: this one)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    if args.tree is not None and not args.tree.is_dir():
        p.error(f"--tree {args.tree} is not a directory")
    return args


def run(args: argparse.Namespace) -> int:
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    floor_env = work_dir / "floor"
    plugin_env = work_dir / "plugin"

    src = None if args.floor_only else snapshot_project(work_dir)  # fails fast
    ensure_venv(floor_env, [FLAKE8_SPEC], args.python)
    if src is not None:
        ensure_venv(plugin_env, [FLAKE8_SPEC], args.python)
        install_project(plugin_env, src)
        check_plugin_registered(plugin_env)

    tree = args.tree.resolve() if args.tree else ensure_corpus(work_dir, CORPUS_SPEC)

    versions = {"floor": flake8_version(floor_env)}  # also warms up the env
    if not args.floor_only:
        versions["plugin"] = flake8_version(plugin_env)
        if versions["plugin"].split()[0] != versions["floor"].split()[0]:
            log(f"WARNING: flake8 versions differ: {versions}")

    results = [make_measurement("floor E9", floor_env, "E9", tree)]
    if not args.floor_only:
        results += [
            make_measurement(f"plugin {PLUGIN_PREFIX}", plugin_env, PLUGIN_PREFIX, tree),
            make_measurement("plugin E9", plugin_env, "E9", tree),
        ]

    n_files = count_files(tree)
    log(f"linting {tree} ({n_files} .py files), -j 1, repeat {args.repeat}")
    for m in results:
        measure(m, args.repeat, work_dir)

    floor = results[0].seconds
    for m in results:
        m.ratio = m.seconds / floor if floor else float("nan")
        m.overhead_pct = (m.ratio - 1.0) * 100.0

    sec_findings = None
    if not args.floor_only:
        sec_findings = sum(n for code, n in results[1].findings.items()
                           if code.startswith(PLUGIN_PREFIX))

    print(f"tree: {tree} ({n_files} .py files); -j 1; min of {args.repeat}")
    print_table(results, sec_findings)

    if args.json:
        payload = {
            "tree": str(tree),
            "corpus": None if args.tree else CORPUS_SPEC,
            "py_files": n_files,
            "repeat": args.repeat,
            "jobs": 1,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "flake8": versions,
            "sec_findings": sec_findings,
            "results": [asdict(m) for m in results],
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
