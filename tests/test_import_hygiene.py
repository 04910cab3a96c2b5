"""Layering: the CLI and the domain import no Textual; the TUI imports no SQLAlchemy before its first frame."""

from __future__ import annotations

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
