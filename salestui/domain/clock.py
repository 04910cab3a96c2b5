"""The one source of "now", frozen in tests and screenshots so output is reproducible, and the
user's time zone: an IANA zone (``zoneinfo``), so a date in July gets July's offset even in December."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_frozen: datetime | None = None

_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def freeze(moment: datetime | None) -> None:
    """Freeze ``now()`` at ``moment`` (aware), or unfreeze with ``None``."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("frozen time must be timezone-aware")
    _frozen = moment


def now() -> datetime:
    """Current time, timezone-aware UTC (or the frozen moment)."""
    if _frozen is not None:
        return _frozen
    env = os.environ.get("SALESTUI_FROZEN_NOW")
    if env:
        return datetime.fromisoformat(env).astimezone(UTC)
    return datetime.now(UTC)


def _key_from_path(path: str) -> str | None:
    """``Europe/Berlin`` from ``/usr/share/zoneinfo/Europe/Berlin`` (any folder named zoneinfo)."""
    marker = "zoneinfo/"
    at = path.rfind(marker)
    return path[at + len(marker) :] if at >= 0 else None


def _zone(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=16)
def _resolve(tz_env: str | None) -> ZoneInfo | None:
    """The IANA zone for ``$TZ`` (or the system's when unset); ``None`` when none can be found."""
    if tz_env is not None:
        value = tz_env.removeprefix(":")
        if not value:
            return _zone("UTC")  # POSIX: an empty TZ means UTC
        if value.startswith("/"):
            key = _key_from_path(value)
            found = _zone(key) if key else None
            if found is None:
                try:
                    with open(value, "rb") as file:
                        return ZoneInfo.from_file(file)
                except (OSError, ValueError):
                    return None
            return found
        return _zone(value)  # a POSIX rule such as "XYZ-3" is no IANA name: None
    try:
        key = _key_from_path(os.readlink(_LOCALTIME))
    except OSError:
        key = None
    if key and (found := _zone(key)) is not None:
        return found
    try:
        named = _TIMEZONE_FILE.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        named = ""
    if named and (found := _zone(named)) is not None:
        return found
    try:
        with _LOCALTIME.open("rb") as file:
            return ZoneInfo.from_file(file)  # a copied file: the rules without a name
    except (OSError, ValueError):
        return None


def local_zone() -> tzinfo:
    """The user's zone: ``$TZ`` or ``/etc/localtime`` as an IANA zone; only when neither names
    one (a POSIX rule in ``$TZ``, no zone database) the fixed offset of now, which is wrong on
    the far side of a daylight-saving change."""
    found = _resolve(os.environ.get("TZ"))
    if found is not None:
        return found
    offset = datetime.now(UTC).astimezone().utcoffset() or timedelta(0)
    return timezone(offset)


def zone_name(zone: tzinfo | None = None) -> str:
    """``America/New_York``, or the offset (``UTC+03:00``) of a zone without a name."""
    zone = zone or local_zone()
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    return _offset_label(zone)


def _offset_label(zone: tzinfo) -> str:
    offset = datetime.now(UTC).astimezone(zone).utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def call_end(started_at: datetime, wall_now: datetime, seconds: float | None) -> datetime:
    """When a call ended: its start plus its monotonic length when known, else the wall clock,
    never before its start (a clock set back mid-call must not give a negative length)."""
    if seconds is not None and seconds >= 0:
        try:
            return started_at + timedelta(seconds=seconds)
        except OverflowError:
            pass
    return max(started_at, wall_now)


def local(moment: datetime) -> datetime:
    """``moment`` in the user's local zone, for display."""
    return moment.astimezone(local_zone())


def today() -> date:
    """The user's local date now: what "the follow-up date has passed" is measured against."""
    return local(now()).date()
