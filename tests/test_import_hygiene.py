"""Layering: the CLI and the domain import no Textual; the TUI imports no SQLAlchemy before its first frame."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60, check=True
    )
    return set(result.stdout.split())


def test_domain_imports_neither_textual_nor_sqlalchemy():
    modules = _modules_after(
        "import salestui.domain.readiness, salestui.domain.carryover, salestui.domain.dates, "
        "salestui.domain.outcomes, salestui.domain.continuation, salestui.domain.models"
    )
    assert not {m for m in modules if m.split(".")[0] in ("textual", "sqlalchemy", "sqlmodel")}


def test_cli_imports_no_textual():
    modules = _modules_after("import salestui.cli; salestui.cli.build_parser()")
    assert "textual" not in modules and "sqlalchemy" not in modules


def test_app_module_imports_no_sqlalchemy():
    modules = _modules_after("import salestui.app")
    assert "textual" in modules
    assert not {m for m in modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")}


def test_app_module_defers_what_the_first_frame_does_not_need():
    modules = _modules_after("import salestui.app")
    deferred = {"salestui.modals.picker", "salestui.screens.help", "salestui.domain.models", "salestui.cli.export"}
    assert not deferred & modules


def test_opening_the_tui_parses_without_importing_subcommands():
    from salestui.cli import opens_tui_only

    assert opens_tui_only(["--db", "x.db"]) and opens_tui_only(["--demo", "--db=x.db"]) and opens_tui_only([])
    assert not opens_tui_only(["demo", "--db", "x.db"]) and not opens_tui_only(["--help"])
    modules = _modules_after("import salestui.cli; salestui.cli.build_parser(subcommands=False)")
    assert not {m for m in modules if m.startswith("salestui.cli.")}


FIRST_FRAME = """
import json, sys
from textual.app import App
import salestui.app as appmod

def on_ready(self):  # the first frame is out: list what was imported for it, and leave
    print(json.dumps(sorted(sys.modules)))
    self.exit()

appmod.SalesApp.on_ready = on_ready
appmod.SalesApp.run = lambda self, **kw: App.run(self, headless=True, size=(120, 40))
from salestui.cli import main
main(["--db", sys.argv[1]])
"""

NOT_BEFORE_FIRST_FRAME = {
    # The database layers: opened on a thread once the first frame is out.
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "salestui.store.core",
    "salestui.store.quick",
    # Only needed once something is saved, merged or shown.
    "diff_match_patch",
    "salestui.domain.models",
    "salestui.domain.review",
    "salestui.domain.readiness",
    "salestui.store.changes",
    # The palette's commands: loaded when it first opens.
    "salestui.commands",
    # Test and bench tools never load in the app.
    "hypothesis",
    "pexpect",
    "pyte",
    # Widgets and tables home does not draw.
    "textual.widgets._text_area",
    "rich._emoji_codes",  # a str column label parsed as markup loads rich's emoji table
}


def test_the_first_frame_imports_only_what_it_draws(tmp_path: Path) -> None:
    """The real start-up path (``salestui --db``, headless) up to the first frame: none of the
    heavy modules, and of our screens only home."""
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(tmp_path / "sales.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "salestui.screens.home" in modules  # it did draw home
    # Home's tables come with live data: a DataTable is ~100 ms of the first frame (issue 32).
    assert "textual.widgets._data_table" not in modules
    loaded = {m for m in modules if m in NOT_BEFORE_FIRST_FRAME or m.split(".")[0] in NOT_BEFORE_FIRST_FRAME}
    assert not loaded, f"imported before the first frame: {sorted(loaded)}"
    screens = {m for m in modules if m.startswith(("salestui.screens.", "salestui.modals."))}
    assert screens == {"salestui.screens.base", "salestui.screens.home"}
