"""SEC099: a noqa silencing a SEC finding must say why."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint

MD5 = "hashlib.md5(b'x').hexdigest()"

SEC099_CASES = [
    case("codes-without-reason", f"""
        import hashlib
        digest = {MD5}  # noqa: SEC051
        """, [(2, 9, "SEC051"), (2, 40, "SEC099")]),
    case("bare-noqa", f"""
        import hashlib
        digest = {MD5}  # noqa
        """, [(2, 9, "SEC051"), (2, 40, "SEC099")]),
    case("noqa-on-last-line-of-multiline-statement", """
        import hashlib
        digest = hashlib.md5(
            b"x"
        ).hexdigest()  # NOQA:SEC051,E501
        """, [(2, 9, "SEC051"), (4, 15, "SEC099")]),
    case("another-tools-pragma-is-not-a-reason", f"""
        import hashlib
        digest = {MD5}  # noqa: SEC051  # type: ignore[attr-defined]
        """, [(2, 9, "SEC051"), (2, 40, "SEC099")]),
    # --- quiet -------------------------------------------------------------
    case("reason-after-the-codes", f"""
        import hashlib
        a = {MD5}  # noqa: SEC051 -- legacy checksum format of the export
        b = {MD5}  # noqa: SEC051 legacy export checksum
        c = {MD5}  # noqa: E501, SEC051 -- protocol mandates MD5
        """, [(2, 4, "SEC051"), (3, 4, "SEC051"), (4, 4, "SEC051")]),
    case("noqa-for-other-codes-only", f"""
        import hashlib
        digest = {MD5}  # noqa: E501
        """, [(2, 9, "SEC051")]),
    case("noqa-without-a-sec-finding", """
        import os  # noqa
        x = 1  # noqa: F401
        """, []),
]

CASES = {"SEC099": SEC099_CASES}


@pytest.mark.parametrize("c", SEC099_CASES, ids=lambda c: c.id)
def test_housekeeping(c: Case) -> None:
    # The checker reports what flake8 would then filter with the noqa comments.
    assert lint(c.source, select="SEC05,SEC099") == c.expected
