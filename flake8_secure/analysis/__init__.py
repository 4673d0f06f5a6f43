"""Analysis layer: name resolution, constant folding, value tracking.

Nothing here knows about rules or flake8.
"""
