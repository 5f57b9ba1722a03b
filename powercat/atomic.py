"""Writing outputs so that a reader never sees half a file: write beside, then rename.

`atomic_path` is `output.replaced`: a failed write raises `output.WriteFailed` (an
OutputError, exit 5) naming the target, never its temporary file."""

from __future__ import annotations

from .output import replaced as atomic_path  # noqa: F401 – the name every writer imports

__all__ = ["atomic_path"]
