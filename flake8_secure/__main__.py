"""``python -m flake8_secure``: the rule explorer."""

from __future__ import annotations

from flake8_secure.explorer import main

if __name__ == "__main__":
    raise SystemExit(main())
