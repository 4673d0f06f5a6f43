"""The gate before taint: which functions can hold request data at all."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import lint

HELPER = textwrap.dedent(
    """
    import os
    from flask import request


    def run_requested_command():
        os.system(request.args["cmd"])
    """
).lstrip("\n")


def test_request_proxy_outside_a_handler_opens_the_gate() -> None:
    assert lint(HELPER, select="SEC012") == [(6, 4, "SEC012")]


def test_request_proxy_outside_a_handler_in_a_package(tmp_path: Path) -> None:
    """An absolute import in a package's module is not resolved against the package."""
    pkg = tmp_path / "shop"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    module = pkg / "admin.py"
    module.write_text(HELPER)
    assert lint(HELPER, select="SEC012", filename=str(module)) == [(6, 4, "SEC012")]


def test_function_without_request_data_stays_quiet() -> None:
    source = "import os\n\n\ndef run(cmd):\n    os.system(cmd)\n"
    assert lint(source, select="SEC012") == []
