"""Run a terminal program on a real pty and time until text appears on its screen."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

import pexpect
import pyte


@dataclass
class Timing:
    """Seconds from spawn until each marker was first seen."""

    found: dict[str, float]
    pid: int


class PtyApp:
    """A program on a pty with a pyte screen fed from its output."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 40, env: dict[str, str] | None = None) -> None:
        self.start = time.perf_counter()
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            dimensions=(rows, cols),
            # COLUMNS/LINES win over the pty's size in the child (shutil.get_terminal_size): a value
            # inherited from the test process drew the app at 80x24 inside this 120x40 screen.
            env={
                **os.environ,
                "TERM": "xterm-256color",
                "COLUMNS": str(cols),
                "LINES": str(rows),
                **(env or {}),
            },
        )
        # pexpect sleeps 50 ms before every send by default (for password prompts that echo):
        # every keystroke figure included those 50 ms, the minimal app's as well as ours.
        self.child.delaybeforesend = None
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.read_at = self.start
        """When the output last fed to the screen was read, before pyte parsed it."""

    def text(self) -> str:
        """The screen as plain text."""
        return "\n".join(self.screen.display)

    def pump(self, timeout: float = 0.02) -> None:
        """Feed whatever the program wrote (``read_at``: when it was read)."""
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        self.read_at = time.perf_counter()
        self.stream.feed(data)

    def wait_for(self, marker: str, limit: float = 30.0) -> float:
        """Seconds from spawn until the output that put ``marker`` on screen was read.

        Taken before pyte parses it (as in ``bench.keys``): parsing a full frame of ours in
        Python (~3.5 ms per KB, 30-80 KB) took longer than the app took to write it, and the
        minimal app's nearly empty frame does not pay that.
        """
        return self.wait_until(lambda text: marker in text, repr(marker), limit)

    def wait_until(self, done: Callable[[str], bool], what: str, limit: float = 30.0) -> float:
        """Seconds from spawn until the output that made ``done(screen text)`` hold was read."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            self.pump()
            if done(self.text()):
                return self.read_at - self.start
        raise TimeoutError(f"{what} not seen within {limit} s; screen:\n{self.text()}")

    def wait_for_match(self, pattern: str, limit: float = 30.0) -> re.Match[str]:
        """The first match of the regular expression ``pattern`` on screen, waiting for it."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            self.pump()
            found = re.search(pattern, self.text())
            if found:
                return found
        raise TimeoutError(f"{pattern!r} not seen within {limit} s; screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        """Type keys."""
        self.child.send(keys)

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the program (VmHWM)."""
        with open(f"/proc/{self.child.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        """Stop the program."""
        if self.child.isalive():
            os.kill(self.child.pid, signal.SIGKILL)
        self.child.close(force=True)
