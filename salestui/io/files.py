"""Private files: every file salestui writes with customer data (exports, call sheets, backups).

One way to write them: a temporary file created 0600 in the target's own folder, filled,
flushed to disk (fsync), then moved over the target with ``os.replace`` (atomic on one file
system). A reader never sees half a file, a crash or a full disk leaves the old file as it was,
and the file is readable by the user only whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE = 0o600
PRIVATE_FOLDER = 0o700


@contextlib.contextmanager
def private_replacement(path: Path | str, *, make_folder: bool = False) -> Iterator[Path]:
    """Yield a new, empty, private (0600) file beside ``path`` to fill; when the block ends
    without error it is synced to disk and atomically replaces ``path``. On any error it is
    removed and ``path`` is untouched.

    ``make_folder`` creates a missing folder (0700); otherwise a missing folder is an ``OSError``.
    """
    target = Path(path).expanduser()
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    # mkstemp creates the file exclusively (O_EXCL) in the target's folder, so the rename is atomic.
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        try:
            os.fchmod(handle, PRIVATE)  # whatever the umask
        finally:
            os.close(handle)
        yield temporary
        fsync_path(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_path(target.parent)  # the rename itself survives a power cut


def write_private(path: Path | str, data: str | bytes, *, make_folder: bool = False) -> Path:
    """Write ``data`` (text as UTF-8) to ``path``, private and atomic; returns the path written.

    Raises ``OSError`` (no such folder, no permission, disk full); the target is then untouched.
    """
    target = Path(path).expanduser()
    with private_replacement(target, make_folder=make_folder) as temporary, temporary.open("wb") as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
    return target


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder cannot be opened on every system: then skip it)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(descriptor)


def export_folder() -> Path:
    """The one folder every export from the app goes to: ``salestui`` in the documents folder.

    The documents folder is the desktop's (XDG ``user-dirs``), else ``~/Documents``; the export
    folder is created (readable by the user only) by the first export written into it.
    """
    from platformdirs import user_documents_path

    return user_documents_path() / "salestui"
