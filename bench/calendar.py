"""Time ``salestui import calendar`` on a big generated Outlook-style file, and ``salestui agenda``.

    python -m bench.calendar --db /tmp/cal.db [--accounts 500] [--singles 3000] [--series 300]

Writes accounts with contacts, an .ics with single meetings and weekly series (Windows zone
names, attendees in upper case, some cancelled and all-day), then runs the first import, the
re-import (nothing to do) and ``agenda`` as subprocesses, printing wall times.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ZONE = """BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16011028T030000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010325T020000\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
END:DAYLIGHT\r
END:VTIMEZONE\r
"""


def write_ics(path: Path, accounts: int, singles: int, series: int, start: datetime, seed: int = 21) -> int:
    """The calendar file; returns its number of VEVENTs."""
    rng = random.Random(seed)
    out = ["BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\n", ZONE]
    for number in range(singles + series):
        account = rng.randrange(accounts)
        when = start + timedelta(days=rng.randrange(0, 89), hours=rng.randrange(8, 17))
        stamp = when.strftime("%Y%m%dT%H%M00")
        lines = [
            "BEGIN:VEVENT",
            f"UID:040000008200E00074C5B7101A82E008{number:032X}",
            f'DTSTART;TZID="W. Europe Standard Time":{stamp}',
            f'DTEND;TZID="W. Europe Standard Time":{(when + timedelta(hours=1)).strftime("%Y%m%dT%H%M00")}',
            f"SUMMARY:Meeting {number} with account {account}",
            "ORGANIZER;CN=Rep:mailto:rep@oursales.com",
            f"ATTENDEE;CN=Contact {account}:mailto:CONTACT{account}@ACCOUNT{account}.EXAMPLE",
            f"ATTENDEE;CN=New person:mailto:new{number}@account{account}.example",
            "LOCATION:Microsoft Teams Meeting",
            "DESCRIPTION:" + "Agenda and dial-in details. " * 8,
        ]
        if number >= singles:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=12")
        elif number % 20 == 0:
            lines.append("STATUS:CANCELLED")
        elif number % 25 == 0:
            day = when.strftime("%Y%m%d")
            lines[2:4] = [f"DTSTART;VALUE=DATE:{day}", f"DTEND;VALUE=DATE:{day}"]
        lines.append("END:VEVENT")
        out.append("\r\n".join(lines) + "\r\n")
    out.append("END:VCALENDAR\r\n")
    path.write_text("".join(out))
    return singles + series


def main(argv: list[str] | None = None) -> int:
    """Generate, import twice, show the agenda; print the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--singles", type=int, default=3000)
    parser.add_argument("--series", type=int, default=300)
    args = parser.parse_args(argv)
    from salestui.store.core import open_store

    store = open_store(args.db, owner="bench")
    for number in range(args.accounts):
        account = store.accounts.create(f"Account {number}", website=f"https://www.account{number}.example")
        store.accounts.add_contact(account.id, f"Contact {number}", email=f"contact{number}@account{number}.example")
    store.close()
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    ics = Path(args.db).with_suffix(".ics")
    events = write_ics(ics, args.accounts, args.singles, args.series, start)
    print(f"{ics}: {events} events, {ics.stat().st_size / 1e6:.1f} MB")
    env_cmd = [sys.executable, "-m", "salestui"]
    for label, command in (
        ("first import", ["import", "calendar", str(ics), "--db", args.db]),
        ("re-import", ["import", "calendar", str(ics), "--db", args.db]),
        ("agenda", ["agenda", "--db", args.db]),
        ("agenda --json --days 90", ["agenda", "--json", "--days", "90", "--db", args.db]),
    ):
        began = time.perf_counter()
        result = subprocess.run(
            [*env_cmd, *command],
            capture_output=True,
            text=True,
            env={**os.environ, "SALESTUI_OWNER": "bench"},
            check=False,
        )
        elapsed = time.perf_counter() - began
        first = (result.stdout.splitlines() or [result.stderr.strip()])[0][:100]
        print(f"{label:>24}: {elapsed:6.2f} s  exit {result.returncode}  {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
