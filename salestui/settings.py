"""The rep's settings: a small TOML file in the user config folder (no Textual, no SQLAlchemy).

``$SALESTUI_CONFIG_DIR`` overrides the folder (tests point it at ``tmp_path``). The file is read
with ``tomllib`` and written by hand: it only ever holds strings, one integer and a table of
strings, so no TOML writer is needed. A file that cannot be read never stops the app: the
defaults apply and ``problems`` says why.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

FILE_NAME = "settings.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCOPES = ("mine", "everyone")
"""Whose records the lists show (``store.scope``)."""
MAX_BYTES = 64 * 1024
"""A settings file larger than this is not read (a few hundred bytes is typical): a 16 MB file
once held the first frame for 5 s. Defaults apply and the problem is named."""
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {"up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete", "backspace"}
    | {"tab", "enter", "return", "escape", "space", "minus", "plus"}
    | {f"f{n}" for n in range(1, 25)}
)
"""Key names a terminal sends besides printable characters (Textual's ``Keys``)."""
DATE_FORMATS = {
    "weekday": "%a %d %b",  # Mon 24 Nov
    "iso": "%Y-%m-%d",  # 2026-11-24
    "us": "%a %m/%d",  # Mon 11/24
    "eu": "%a %d.%m.",  # Mon 24.11.
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What the rep chose; every field has a default."""

    theme: str = ""
    """Textual theme name (empty: Textual's default)."""
    owner: str = ""
    """The rep's name on new records when neither ``--owner`` nor ``$SALESTUI_OWNER`` is given."""
    date_format: str = "weekday"
    """One of ``DATE_FORMATS``: how call dates are shown."""
    week_start: str = "monday"
    """First day of the week for "this week" in review."""
    call_minutes: int = 60
    """Default call length: the end of exported calendar events."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys (``"home.plan" = "N"``), passed to ``App.set_keymap``."""
    scope: str = "mine"
    """Whose records the lists show on a team database: ``mine`` or ``everyone`` (kept when switched)."""
    problems: tuple[str, ...] = ()
    """Why a value (or the file) was ignored."""

    @property
    def week_start_index(self) -> int:
        """0 for Monday ... 6 for Sunday."""
        return WEEKDAYS.index(self.week_start)

    @property
    def date_pattern(self) -> str:
        """The ``strftime`` pattern of the date part."""
        return DATE_FORMATS[self.date_format]


def config_dir() -> Path:
    """``$SALESTUI_CONFIG_DIR``, else the platform's user config folder for salestui."""
    chosen = os.environ.get("SALESTUI_CONFIG_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path("salestui")


def settings_path() -> Path:
    """Where the settings file lives."""
    return config_dir() / FILE_NAME


def load(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: ``settings_path()``); defaults where missing or wrong."""
    path = path or settings_path()
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        return Settings(problems=(f"{path}: not read ({error}); defaults apply",))
    if len(data) > MAX_BYTES:
        return Settings(
            problems=(f"{path}: not read ({size:,} bytes; a settings file is at most {MAX_BYTES:,}); defaults apply",)
        )
    import tomllib  # only with a file to read: most starts have none, and the first frame waits for this

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(problems=(f"{path}: not read ({error}); defaults apply",))
    return from_mapping(raw)


def from_mapping(raw: dict[str, Any]) -> Settings:
    """Settings from parsed TOML, each wrong value replaced by its default and named in ``problems``."""
    problems: list[str] = []
    default = Settings()
    values: dict[str, Any] = {}

    def text(name: str, allowed: tuple[str, ...] | None = None) -> None:
        value = raw.get(name)
        if value is None:
            return
        if not isinstance(value, str) or (allowed is not None and value.strip().lower() not in allowed):
            problems.append(f"{name}: {value!r} ignored" + (f" (one of {', '.join(allowed)})" if allowed else ""))
            return
        values[name] = value.strip().lower() if allowed else value.strip()

    text("theme")
    text("owner")
    text("date_format", tuple(DATE_FORMATS))
    text("week_start", WEEKDAYS)
    text("scope", SCOPES)
    minutes = raw.get("call_minutes")
    if minutes is not None:
        if isinstance(minutes, int) and not isinstance(minutes, bool) and 5 <= minutes <= 480:
            values["call_minutes"] = minutes
        else:
            problems.append(f"call_minutes: {minutes!r} ignored (5 to 480)")
    keys = raw.get("keys")
    if keys is not None:
        if isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
            values["keys"] = {}
            for binding, chosen in keys.items():
                wrong = key_problem(chosen)
                if wrong is None:
                    values["keys"][binding] = chosen.strip()
                elif chosen.strip():
                    problems.append(f"keys: {binding!r} = {chosen!r} ignored ({wrong}); its default key stays")
        else:
            problems.append('keys: ignored (a table of binding id = "keys")')
    unknown = sorted(set(raw) - {"theme", "owner", "date_format", "week_start", "call_minutes", "scope", "keys"})
    if unknown:
        problems.append(f"unknown settings ignored: {', '.join(unknown)}")
    return replace(default, **values, problems=tuple(problems))


def key_problem(keys: str) -> str | None:
    """What is wrong with a key string (``"N"``, ``"ctrl+n,f2"``), ``None`` when every key can be pressed.

    A key is a printable character, a key name (``NAMED_KEYS``, or a character's name as Textual
    spells it: ``question_mark``), after any of ``ctrl+``, ``shift+``, ``alt+``... modifiers.
    """
    import unicodedata

    if not keys.strip():
        return "no key given"
    for one in keys.split(","):
        one = one.strip()
        if not one:
            return "an empty key between commas"
        *modifiers, key = one.split("+") if one != "+" else ["+"]
        unknown = [m for m in modifiers if m.lower() not in MODIFIERS]
        if unknown:
            return f"{unknown[0]!r} is not a modifier (ctrl, shift, alt, meta, super, hyper)"
        if len(key) == 1:
            if not key.isprintable() or key.isspace():
                return f"{key!r} cannot be typed"
            continue
        if key.lower() in NAMED_KEYS:
            continue
        try:
            unicodedata.lookup(key.replace("_", " ").upper())
        except KeyError:
            return f"{key!r} is not a key"
    return None


def _quote(value: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def dumps(settings: Settings) -> str:
    """The settings as TOML (what ``save`` writes)."""
    lines = [
        "# salestui settings: edit freely; `salestui config` shows what is in effect.",
        f"theme = {_quote(settings.theme)}",
        f"owner = {_quote(settings.owner)}",
        f"date_format = {_quote(settings.date_format)}  # {', '.join(DATE_FORMATS)}",
        f"week_start = {_quote(settings.week_start)}",
        f"call_minutes = {settings.call_minutes}",
        f"scope = {_quote(settings.scope)}  # {', '.join(SCOPES)}: whose records the lists show",
        "",
        '# Key remapping: binding id = keys (comma-separated), e.g. "home.plan" = "N".',
        "[keys]",
    ]
    lines += [f"{_quote(binding)} = {_quote(keys)}" for binding, keys in sorted(settings.keys.items())]
    return "\n".join(lines) + "\n"


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (a temporary file renamed over the old one); returns the path."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(dumps(settings), encoding="utf-8")
    os.replace(temporary, path)
    return path


def with_theme(theme: str, path: Path | None = None) -> Path | None:
    """Record a new theme, keeping every other setting; ``None`` (nothing written) if the file has problems.

    A file with a value the rep mistyped is left for the rep to fix, never rewritten with defaults.
    """
    current = load(path)
    if current.problems:
        return None
    return save(replace(current, theme=theme), path)


def with_scope(scope: str, path: Path | None = None) -> Path | None:
    """Record whose records the lists show (``mine`` / ``everyone``), like ``with_theme``."""
    current = load(path)
    if current.problems or scope not in SCOPES:
        return None
    return save(replace(current, scope=scope), path)
