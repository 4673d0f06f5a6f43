"""What a permission mode or umask grants, in words."""

from __future__ import annotations

import stat


def mode_risk(mode: int, directory: bool = False) -> str | None:
    """``"lets others write"`` for 0o666; None when the mode grants nothing risky.

    Setgid on a directory only makes new entries inherit its group, so it
    is not reported there.
    """
    writers = []
    if mode & stat.S_IWGRP:
        writers.append("the group")
    if mode & stat.S_IWOTH:
        writers.append("others")
    risks = []
    if writers == ["the group", "others"]:
        risks.append("lets the group and others write")
    elif writers:
        risks.append(f"lets {writers[0]} write")
    if mode & stat.S_ISUID:
        risks.append("sets setuid")
    if mode & stat.S_ISGID and not directory:
        risks.append("sets setgid")
    return " and ".join(risks) or None


def umask_risk(mask: int) -> str | None:
    """``"the group and others"`` for a umask that keeps their write bits."""
    open_to = [who for who, bit in (("the group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if not mask & bit]
    return " and ".join(open_to) or None
