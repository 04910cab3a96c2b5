"""The settings file applied to the running app: keymap, theme (kept when changed), date and week.

``salestui.settings`` reads and writes the file; this module is the Textual side. The CLI reads
the file before the app starts and hands the ``Settings`` in, so the first frame never waits on it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from salestui import format as fmt
from salestui.settings import Settings

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger("salestui")


def apply(app: App[int], settings: Settings) -> None:
    """Remap keys, set the theme, the date format and the first day of the week; then persist theme changes."""
    if settings.keys:
        app.set_keymap(settings.keys)
        check_keymap(app, settings.keys)
    if settings.theme and settings.theme in app.available_themes:
        app.theme = settings.theme
    elif settings.theme:
        app.notify(theme_problem(settings.theme, app), title="Settings", severity="warning", markup=False, timeout=10)
    fmt.set_date_pattern(settings.date_pattern)
    if settings.week_start_index:
        # Weeks start on Monday unless set: the review rules (and the domain's models they
        # import, ~20 ms) load when review opens, not before the first frame.
        from salestui.domain.review import set_week_start

        set_week_start(settings.week_start_index)
    for problem in settings.problems:
        app.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)

    def changed(theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str):
            remember_theme(app, name)

    app.theme_changed_signal.subscribe(app, changed)


def remember_theme(app: App[int], name: str) -> None:
    """Write the new theme to the settings file in a thread (a file write never blocks the UI)."""

    def write() -> None:
        from salestui.settings import with_theme

        if with_theme(name) is None:
            app.call_from_thread(
                app.notify,
                "The theme was not saved: the settings file has a value to fix (see `salestui config`).",
                markup=False,
            )

    app.run_worker(write, thread=True, group="settings", exit_on_error=False, description="settings")


def remember_scope(app: App[int], scope: str) -> None:
    """Write whose records the lists show (``mine`` / ``everyone``) to the settings file, in a thread."""

    def write() -> None:
        from salestui.settings import with_scope

        if with_scope(scope) is None:
            app.call_from_thread(
                app.notify,
                "The choice was not kept for next time: the settings file has a value to fix (see `salestui config`).",
                markup=False,
            )

    app.run_worker(write, thread=True, group="settings", exit_on_error=False, description="settings")


def theme_problem(theme: str, app: App[int]) -> str:
    """The one line for a theme the app does not have."""
    known = ", ".join(sorted(app.available_themes)[:8])
    return f"theme: {theme!r} is not a theme here (one of {known}…); the default theme stays"


def binding_classes() -> list[type[Any]]:
    """Every widget, screen and modal class of the app (imported here, so all their bindings are known)."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import salestui

    importlib.import_module("salestui.app")
    for package in ("screens", "widgets", "modals"):
        module = importlib.import_module(f"salestui.{package}")
        for info in pkgutil.iter_modules(module.__path__):
            importlib.import_module(f"salestui.{package}.{info.name}")
    found: list[type[Any]] = []
    pending: list[type[Any]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(salestui.__name__ + "."):
            found.append(cls)
    return found


def keymap_problems(keys: dict[str, str], classes: list[type[Any]]) -> tuple[dict[str, str], list[str]]:
    """``keys`` without the ids no screen has and the remaps that clash; and one line per problem.

    A clash is a remapped key that another binding of the same screen or widget already uses (and
    did not before the remap): both would answer the key, so the remap is dropped and its default
    key stays.
    """
    from textual.binding import Binding

    def normal(chosen: str) -> list[str]:
        return [binding.key for binding in Binding.make_bindings([Binding(chosen, "noop")])]

    known: set[str] = set()
    per_class: list[tuple[type[Any], list[Binding]]] = []
    for cls in classes:
        merged = getattr(cls, "_merged_bindings", None)
        bindings = [b for group in merged.key_to_bindings.values() for b in group] if merged is not None else []
        known |= {b.id for b in bindings if b.id}
        per_class.append((cls, bindings))
    problems: list[str] = []
    kept = {}
    for binding_id, chosen in keys.items():
        if binding_id in known:
            kept[binding_id] = chosen
        else:
            problems.append(f"keys: {binding_id!r} is not a binding id (see the README's key list); ignored")
    clashing: dict[str, str] = {}
    for cls, bindings in per_class:
        by_key: dict[str, set[str]] = {}
        for binding in bindings:
            name = binding.id or binding.action
            for key in normal(kept[binding.id]) if binding.id in kept else [binding.key]:
                by_key.setdefault(key, set()).add(name)
        for key, names in sorted(by_key.items()):
            remapped = sorted(n for n in names if n in kept and key in normal(kept[n]))
            if len(names) < 2 or not remapped:
                continue
            where = getattr(cls, "TITLE", None) or cls.__name__.removesuffix("Screen")
            for binding_id in remapped:
                if binding_id not in clashing:
                    others = ", ".join(sorted(names - {binding_id}))
                    clashing[binding_id] = (
                        f"keys: {binding_id!r} = {kept[binding_id]!r} clashes with {others} on {key!r} ({where}); "
                        "its default key stays"
                    )
    problems += clashing.values()
    return {k: v for k, v in kept.items() if k not in clashing}, problems


def check_keymap(app: App[int], keys: dict[str, str]) -> None:
    """In a thread (it imports every screen): name unknown binding ids and clashing remaps once,
    and put back the default keys of those."""

    def check() -> None:
        cleaned, problems = keymap_problems(keys, binding_classes())

        def report() -> None:
            if cleaned != keys:
                app.set_keymap(cleaned)
            for problem in problems:
                app.notify(problem, title="Settings", severity="warning", markup=False, timeout=10)

        app.call_from_thread(report)

    # After the first frame: importing every screen takes a second a first frame should not share.
    app.call_after_refresh(
        lambda: app.run_worker(check, thread=True, group="settings-keys", exit_on_error=False, description="settings")
    )
