"""flake8-secure: a flake8 plugin that finds security defects in Python code."""

from __future__ import annotations

__version__ = "0.1.0"
