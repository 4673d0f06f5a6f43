"""SEC030-SEC034: file modes, umask, temporary files, bind address, archives."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint, run_checker

SEC030_CASES = [
    case("chmod-literal", "import os\nos.chmod('k', 0o777)\n", [(2, 0, "SEC030")]),
    # The checker runs SEC030 only on calls named like its callees: an alias is named by its import.
    case("chmod-imported-under-an-alias", "from os import chmod as ch\nch('k', 0o777)\n", [(2, 0, "SEC030")]),
    case("chmod-owner-only", "import os\nos.chmod('k', 0o600)\n", []),
    case("chmod-644-and-755", "import os\nos.chmod('k', 0o644)\nos.chmod('d', 0o755)\n", []),
    case("module-constant", "import os\nMODE = 0o666\nos.chmod('k', MODE)\n", [(3, 0, "SEC030")]),
    case("class-constant", """
        import os
        class Store:
            MODE = 0o664
            def save(self, p):
                os.chmod(p, Store.MODE)
        """, [(5, 8, "SEC030")]),
    # A property is what its getter returns (Django's storages read the mode from one).
    case("mode-from-a-property", """
        import os
        class Storage:
            @property
            def file_mode(self):
                return 0o666
            def save(self, p):
                os.chmod(p, self.file_mode)
        """, [(7, 8, "SEC030")]),
    case("mode-from-a-property-of-settings", """
        import os
        class Storage:
            @property
            def file_mode(self):
                return self._value_or_setting(self._mode, 0o666)
            def save(self, p):
                os.chmod(p, self.file_mode)
        """, []),
    case("stat-flags-or", """
        import os, stat
        os.chmod("run.sh", stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        """, [(2, 0, "SEC030")]),
    case("stat-flags-owner", """
        import os, stat
        os.chmod("key", stat.S_IRUSR | stat.S_IWUSR)
        """, []),
    case("stat-and-not-removes-write", """
        import os, stat
        ALL = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO
        os.chmod("f", ALL & ~stat.S_IWGRP & ~stat.S_IWOTH)
        """, []),
    case("setuid", "import os\nos.chmod('tool', 0o4755)\n", [(2, 0, "SEC030")]),
    case("setgid-directory-accepted", "import os\nos.makedirs('shared', 0o2755)\n", []),
    case("makedirs-mode-keyword", "import os\nos.makedirs('cache', mode=0o777, exist_ok=True)\n", [(2, 0, "SEC030")]),
    case("os-open-mode", "import os\nfd = os.open('log', os.O_WRONLY | os.O_CREAT, 0o666)\n", [(2, 5, "SEC030")]),
    case("path-chmod", "from pathlib import Path\nPath('k').chmod(0o666)\n", [(2, 0, "SEC030")]),
    case("path-mkdir-built-with-div", """
        from pathlib import Path
        (Path.home() / "cache").mkdir(mode=0o777, parents=True)
        """, [(2, 0, "SEC030")]),
    case("path-touch-joined-on-self-attribute", """
        from pathlib import Path
        class Spool:
            def __init__(self, root):
                self.root = Path(root)
            def add(self, name):
                path = self.root / name
                path.touch(mode=0o666)
                again = path / "x"
                again.touch(mode=0o600)
        """, [(7, 8, "SEC030")]),
    case("touch-on-joined-unknown-receiver", """
        def add(root, name):
            path = root / name
            path.touch(mode=0o666)
            path = path / "x"
            path.touch(mode=0o666)
        """, []),
    case("mkdir-on-unknown-receiver", "def f(ftp):\n    ftp.mkdir('x', mode=0o777)\n", []),
    case("unknown-mode-parameter", "import os\ndef f(p, m):\n    os.chmod(p, m)\n", []),
    case("mode-from-environment", "import os\nos.chmod('k', int(os.environ['MODE'], 8))\n", []),
    case("tarinfo-mode", """
        import tarfile
        info = tarfile.TarInfo("bin/tool")
        info.mode = 0o777
        """, [(3, 0, "SEC030")]),
    case("zipinfo-external-attr", """
        import zipfile
        info = zipfile.ZipInfo("run.sh")
        info.external_attr = 0o777 << 16
        """, [(3, 0, "SEC030")]),
    case("zipinfo-external-attr-safe", """
        import zipfile
        info = zipfile.ZipInfo("run.sh")
        info.external_attr = 0o755 << 16
        """, []),
    case("other-mode-attribute-quiet", "class F:\n    pass\nf = F()\nf.mode = 0o777\n", []),
]

SEC031_CASES = [
    case("umask-zero", "import os\nos.umask(0)\n", [(2, 0, "SEC031")]),
    case("umask-002", "import os\nos.umask(0o002)\n", [(2, 0, "SEC031")]),
    case("umask-022", "import os\nos.umask(0o022)\n", []),
    case("umask-077", "import os\nold = os.umask(0o077)\n", []),
    case("umask-read-and-restore-idiom", """
        import os
        def current_umask():
            mask = os.umask(0)
            os.umask(mask)
            return mask
        """, []),
    case("umask-saved-but-not-restored", "import os\ndef f():\n    old = os.umask(0)\n    run()\n",
         [(3, 10, "SEC031")]),
    case("umask-restore-unknown", "import os\ndef f(old):\n    os.umask(old)\n", []),
    case("umask-in-force-until-finally", """
        import os
        def run_hooks(hooks):
            old = os.umask(0o002)
            try:
                for hook in hooks:
                    os.system(hook)
            finally:
                os.umask(old)
        """, [(3, 10, "SEC031")]),
    case("umask-read-then-restored-in-a-branch", """
        import os
        def fix_umask():
            old = os.umask(0)
            if old == 0o777:
                os.umask(0o027)
            else:
                os.umask(old)
        """, []),
    case("umask-read-inside-try", """
        import os
        def current_umask():
            try:
                mask = os.umask(0)
                os.umask(mask)
            finally:
                pass
            return mask
        """, []),
]

SEC032_CASES = [
    case("mktemp", "import tempfile\nname = tempfile.mktemp()\n", [(2, 7, "SEC032")]),
    case("mkstemp-and-friends", """
        import tempfile
        fd, name = tempfile.mkstemp()
        with tempfile.NamedTemporaryFile("w") as f, tempfile.TemporaryDirectory() as d:
            pass
        """, []),
    case("open-tmp-for-writing", "open('/tmp/report.csv', 'w').write('x')\n", [(1, 0, "SEC032")]),
    case("open-tmp-for-reading", "data = open('/tmp/report.csv').read()\n", []),
    case("exclusive-create", "f = open('/tmp/app.lock', 'x')\n", []),
    case("constant-path-append", "LOG = '/var/tmp/app.log'\nwith open(LOG, 'a') as f:\n    pass\n",
         [(2, 5, "SEC032")]),
    case("os-path-join", "import os\nopen(os.path.join('/tmp', 'app.pid'), 'w')\n", [(2, 0, "SEC032")]),
    case("fstring-fixed-stem", "def f(pid):\n    open(f'/dev/shm/worker-{pid}', 'wb')\n", [(2, 4, "SEC032")]),
    case("fstring-only-variable-name", "def f(name):\n    open(f'/tmp/{name}', 'w')\n", []),
    case("path-write-text", "from pathlib import Path\nPath('/tmp/state.json').write_text('{}')\n", [(2, 0, "SEC032")]),
    case("path-div-touch", "from pathlib import Path\np = Path('/tmp') / 'ready'\np.touch()\n", [(3, 0, "SEC032")]),
    case("os-open-excl", "import os\nos.open('/tmp/l', os.O_CREAT | os.O_EXCL | os.O_WRONLY)\n", []),
    case("os-open-write", "import os\nos.open('/tmp/l', os.O_CREAT | os.O_WRONLY)\n", [(2, 0, "SEC032")]),
    case("other-directory", "open('/var/lib/app/state', 'w')\n", []),
    case("unknown-path", "def f(p):\n    open(p, 'w')\n", []),
]

SEC033_CASES = [
    case("flask-run-all", "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0')\n",
         [(3, 0, "SEC033")]),
    case("flask-run-positional", "from flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', 80)\n",
         [(3, 0, "SEC033")]),
    case("uvicorn-all-ipv6", "import uvicorn\nuvicorn.run('app:app', host='::')\n", [(2, 0, "SEC033")]),
    case("socket-bind-empty", "import socket\ns = socket.socket()\ns.bind(('', 8080))\n", [(3, 0, "SEC033")]),
    case("socket-bind-free-port", "import socket\ns = socket.socket()\ns.bind(('', 0))\n", []),
    case("http-server", "from http.server import HTTPServer\nHTTPServer(('0.0.0.0', 8000), None)\n",
         [(2, 0, "SEC033")]),
    case("run-simple", "from werkzeug.serving import run_simple\nrun_simple('0.0.0.0', 5000, None)\n",
         [(2, 0, "SEC033")]),
    case("loopback", "import uvicorn\nuvicorn.run('app:app', host='127.0.0.1')\n", []),
    case("host-from-config", "import os, uvicorn\nuvicorn.run('app:app', host=os.environ['HOST'])\n", []),
]

SEC034_CASES = [
    case("extractall-without-filter", """
        import tarfile
        def unpack(p, d):
            with tarfile.open(p) as tar:
                tar.extractall(d)
        """, [(4, 8, "SEC034")]),
    case("extract-chained", "import tarfile\ntarfile.open('a.tgz').extract('x', '/srv')\n", [(2, 0, "SEC034")]),
    case("filter-data", """
        import tarfile
        def unpack(p, d):
            with tarfile.open(p) as tar:
                tar.extractall(d, filter="data")
        """, []),
    case("filter-fully-trusted", "import tarfile\ntarfile.open('a').extractall('d', filter='fully_trusted')\n",
         [(2, 0, "SEC034")]),
    case("members-checked", """
        import os, tarfile
        def unpack(p, d):
            with tarfile.open(p) as tar:
                for m in tar.getmembers():
                    if not os.path.realpath(os.path.join(d, m.name)).startswith(d):
                        raise ValueError(m.name)
                tar.extractall(d)
        """, []),
    case("members-selected", "import tarfile\ndef f(t, safe):\n    tarfile.open(t).extractall('d', members=safe)\n",
         []),
    case("unpack-archive", "import shutil\nshutil.unpack_archive('b.tar.gz', '/srv')\n", [(2, 0, "SEC034")]),
    case("unpack-archive-filter", "import shutil\nshutil.unpack_archive('b.tar.gz', '/srv', filter='data')\n", []),
    case("zip-upload", """
        import zipfile
        from flask import request
        def upload():
            with zipfile.ZipFile(request.files["bundle"]) as zf:
                zf.extractall("/srv/uploads")
        """, [(5, 8, "SEC034")]),
    case("zip-local-file", "import zipfile\nzipfile.ZipFile('wheel.zip').extractall('build')\n", []),
    case("unknown-receiver", "def f(archive):\n    archive.extractall('d')\n", []),
]

CASES = {"SEC030": SEC030_CASES, "SEC031": SEC031_CASES, "SEC032": SEC032_CASES,
         "SEC033": SEC033_CASES, "SEC034": SEC034_CASES}
ALL = [(code, c) for code, cases in CASES.items() for c in cases]


@pytest.mark.parametrize(("code", "c"), ALL, ids=[f"{code}-{c.id}" for code, c in ALL])
def test_privileges(code: str, c: Case) -> None:
    assert lint(c.source, select=code) == c.expected


@pytest.mark.parametrize(("source", "words"), [
    ("import os\nos.chmod('k', 0o666)\n", "mode 0o666, which lets the group and others write"),
    ("import os\nos.chmod('k', 0o646)\n", "lets others write"),
    ("import os\nos.chmod('k', 0o4755)\n", "sets setuid; drop the setuid/setgid bits"),
    ("import os\nos.umask(0o002)\n", "os.umask(0o002) lets the group write"),
])
def test_messages_say_what_the_mode_grants(source: str, words: str) -> None:
    [(_, _, text)] = run_checker(source, select="SEC03")
    assert words in text and text.endswith(")")


def test_sec033_is_default_off_in_select_sec() -> None:
    source = SEC033_CASES[0].source
    from flake8_secure.registry import RULES

    assert not RULES["SEC033"].default_on
    assert lint(source, select="SEC033") == [(3, 0, "SEC033")]
