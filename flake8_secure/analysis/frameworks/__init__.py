"""Framework and library knowledge as data: sinks, sanitizers, quoting functions."""
