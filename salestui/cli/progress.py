"""A progress bar on standard error for long exports and imports, only when a person watches it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(description: str, enabled: bool | None = None) -> Iterator[Progress | None]:
    """Yield a ``progress(done, total)`` callback drawing a rich bar on stderr, or ``None``.

    Without ``enabled``, the bar shows only when stderr is a terminal: piped output and CI logs
    stay clean, and stdout (which may carry the export itself) is never touched.
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield advance
