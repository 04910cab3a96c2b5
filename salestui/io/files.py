"""Writing export files: private (0600) and atomic, so a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE = 0o600


def write_private(path: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` readable by the user only, atomically (temp file + rename).

    Exports hold confidential customer data, so the file is created 0600 whatever the umask.
    Raises ``OSError`` (no such folder, no permission, disk full); the target is then untouched.
    """
    target = Path(path).expanduser()
    folder = target.parent
    # mkstemp creates the file with mode 0600 (O_EXCL), in the target's folder so rename is atomic.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(handle, PRIVATE)
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
