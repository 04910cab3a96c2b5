"""Exports from the TUI: ask for a path, write the file in a worker, toast where it went.

Every export (palette or a screen's key) is offered in one folder, :func:`export_folder`
(``~/Documents/salestui``), created on the first export; the rep may type another path.

The palette (``commands.py``) calls these with the app and the id of the account or call on
screen; no app action is needed, so ``app.py`` stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salestui.app import SalesApp
    from salestui.store.core import Store

Render = Callable[["Store"], str]


def slug(text: str) -> str:
    """``"Acme Manufacturing, Inc."`` -> ``acme-manufacturing-inc`` (safe in a file name)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "account"


def _today() -> date:
    from salestui.domain.clock import local, now

    return local(now()).date()


def ask_and_write(app: SalesApp, title: str, what: str, filename: str, render: Render) -> None:
    """Ask for a path (prefilled with ``filename`` in the export folder); write ``render(store)`` there."""
    from salestui.io.files import export_folder
    from salestui.modals.export_path import ExportPath

    def chosen(path: Path | None) -> None:
        if path is not None:
            write_in_worker(app, path, render)

    app.push_screen(ExportPath(title, what, export_folder() / filename), chosen)


def write_in_worker(app: SalesApp, path: Path, render: Render) -> None:
    """Render and write in a worker; a toast names the file (or says in plain words why not)."""

    def job(store: Store) -> tuple[bool, str]:
        from salestui.io.files import export_folder, write_private

        text = render(store)
        try:
            return True, str(write_private(path, text, make_folder=path.parent == export_folder()))
        except OSError as problem:
            return False, f"Could not write {path}: {problem.strerror or problem}"

    def done(result: tuple[bool, str]) -> None:
        ok, message = result
        if ok:
            app.notify(f"Exported to {message}", title="Export", markup=False)
        else:
            app.notify(message, title="Not exported", severity="error", markup=False, timeout=8)

    app.run_db(job, done, group="export")


def export_dossier(app: SalesApp, account_id: int) -> None:
    """The account's dossier (Markdown)."""
    from salestui.io.dossier import dossier_markdown

    def ask(name: str) -> None:
        ask_and_write(
            app,
            "Export account dossier",
            "Markdown: contacts, research by category, comparisons, every call with plan, outcome and debrief.",
            f"{slug(name)}-dossier-{_today().isoformat()}.md",
            lambda store: dossier_markdown(store, account_id),
        )

    app.run_db(lambda store: store.accounts.get(account_id).name, app.while_here(ask))


def export_call_sheet(app: SalesApp, call_id: int) -> None:
    """The one-page call sheet (Markdown) of a call."""

    def render(store: Store) -> str:
        from salestui.io.plan_sheet import plan_sheet_markdown

        return str(plan_sheet_markdown(store, call_id))

    def ask(name: str) -> None:
        ask_and_write(
            app,
            "Export call sheet",
            "Markdown: the one-page plan of this call, to print or share.",
            f"{slug(name)}-call-{call_id}.md",
            render,
        )

    app.run_db(lambda store: store.calls.plan(call_id).account_name, app.while_here(ask))


def export_everything(app: SalesApp) -> None:
    """The whole database as JSON (restorable with ``salestui import json``)."""
    from salestui.io.json_io import dump_json

    ask_and_write(
        app,
        "Export everything (JSON)",
        "The whole database: a backup, or a move to another machine with 'salestui import json'.",
        f"salestui-export-{_today().isoformat()}.json",
        dump_json,
    )


def export_calendar(app: SalesApp) -> None:
    """Upcoming calls and follow-up dates as iCalendar."""
    from salestui.io.ics import calendar_ics

    ask_and_write(
        app,
        "Export calendar (ics)",
        "Upcoming calls and follow-up dates; importing the file again updates the events, no copies.",
        "salestui-calendar.ics",
        lambda store: calendar_ics(store, length=timedelta(minutes=app.settings.call_minutes)),
    )
