"""Writing a file so that every reader sees either its old or its new content, never a half-written one.

The data goes to a temporary file next to the target (same folder, so the same file system), is flushed
to disk, and is then renamed over the target in one step. A failure or a kill before the rename leaves
the target as it was; the temporary file is removed on any error that Python sees.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step, keeping the permissions of the file it replaces.

    ``durable`` also waits until the data is on disk before the rename (for files people wrote; the
    generated tree can be written again from data/ and skips it)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = path.stat().st_mode & 0o7777 if path.is_file() else None
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
