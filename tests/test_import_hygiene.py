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
