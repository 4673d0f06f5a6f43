"""Hypothesis profiles: ``default`` for every run (CI), ``long`` for nightly use.

``python -m pytest tests/test_properties.py --hypothesis-profile=long``
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

# A few hundred examples, the same ones on every run: CI stays deterministic.
settings.register_profile(
    "default", max_examples=150, deadline=None, derandomize=True, suppress_health_check=_SLOW_INPUTS,
    print_blob=True,
)
# Thousands of fresh examples per property (hypothesis keeps failures in .hypothesis/).
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=_SLOW_INPUTS, print_blob=True,
)
settings.load_profile("default")
