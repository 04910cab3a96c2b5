"""``salestui forecast [--weeks N] [--json] [--rep NAME | --team]``: the coming weeks, for the shell.

Per week the planned calls, the advances expected (the sum of the calls' chances) and the
10th-90th percentile band; per call its chances with the held calls behind them; what more
preparation would add; and the walk-forward backtest, so the reader knows whether to trust it.
Plain text that fits 80 columns, or one JSON object (``--json``).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from salestui.cli import fail

WIDTH = 80


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``forecast`` subcommand."""
    parser = subparsers.add_parser(
        "forecast",
        parents=[common],
        help="expected advances of the coming weeks, with a band and how honest past forecasts were",
        description="Expected advances per week from your own held calls (same kind and readiness), with the "
        "10th-90th percentile band, each planned call's chances, what more preparation would add, and a "
        "walk-forward backtest of past weeks.",
    )
    parser.add_argument("--weeks", type=int, default=4, metavar="N", help="this week and the next N-1 (default 4)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument("--rep", metavar="NAME", help="another rep's forecast (a team database)")
    whose.add_argument("--team", action="store_true", help="the whole team's forecast")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read, compute, print."""
    if args.weeks < 1:
        return fail("--weeks must be 1 or more")
    if args.weeks > 52:
        return fail("--weeks must be 52 or fewer")
    from salestui.store.core import StoreError, open_store
    from salestui.store.forecast import MINE, TEAM, read
    from salestui.store.preflight import DatabaseProblem

    scope = TEAM if args.team else (args.rep.strip() if args.rep and args.rep.strip() else MINE)
    try:
        store = open_store(args.db)
    except (DatabaseProblem, StoreError) as problem:
        return fail(str(problem))
    try:
        data = read(store, weeks=args.weeks, scope=scope)
    except StoreError as problem:
        return fail(str(problem))
    finally:
        store.close()
    if scope not in (MINE, TEAM) and scope not in data.reps:
        return fail(f"no calls of a rep named {scope!r} (reps: {', '.join(data.reps) or 'none'})")
    result = data.forecast(scope)
    if args.json:
        sys.stdout.write(json.dumps(as_json(result, data.me), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(line + "\n" for line in text_lines(result, args.weeks)))
    return 0


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def as_json(result: Any, me: str) -> dict[str, Any]:
    """The forecast as plain data: weeks, expected advances, low, high, per-call chances, the backtest."""
    from salestui.domain import forecast as fc

    def band(b: fc.Band) -> dict[str, Any]:
        return {"calls": b.calls, "expected_advances": _round(b.expected), "low": b.low, "high": b.high}

    test = result.backtest
    return {
        "rep": result.owner,
        "you": me,
        "prior_strength": fc.PRIOR_STRENGTH,
        "shrunk_toward": "team" if result.team_prior else "overall rate",
        "held_calls": {"held": result.history.held, "advanced": result.history.advanced},
        "band_percentiles": [fc.LOW_PERCENTILE, fc.HIGH_PERCENTILE],
        "total": band(result.total),
        "weeks": [{"week": w.week, "start": w.start.isoformat(), **band(w.band)} for w in result.weeks],
        "calls": [
            {
                "id": c.call.call_id,
                "account": c.call.account,
                "rep": c.call.owner,
                "start": c.call.scheduled_at.astimezone().isoformat(),
                "week": c.call.week,
                "kind": c.call.kind,
                "readiness": c.call.readiness,
                "readiness_band": c.call.band,
                "advance_probability": _round(c.advance.value),
                "target_or_better_probability": _round(c.target.value),
                "held_calls_behind": c.advance.calls,
            }
            for c in result.calls
        ],
        "what_would_move_it": [
            {
                "id": m.call.call_id,
                "account": m.call.account,
                "readiness": m.call.readiness,
                "advance_probability": _round(m.now.value),
                "held_calls_behind": m.now.calls,
                "prepared_probability": _round(m.prepared.value),
                "prepared_calls_behind": m.prepared.calls,
                "text": m.line,
            }
            for m in result.movers
        ],
        "backtest": {
            "weeks": [
                {"week": w.week, "start": w.start.isoformat(), **band(w.band), "actual": w.actual, "inside": w.inside}
                for w in test.weeks
            ],
            "weeks_inside": test.inside,
            "weeks_checked": len(test.weeks),
            "mae": _round(test.mae),
            "brier": _round(test.brier),
            "summary": test.summary,
        },
    }


def text_lines(result: Any, weeks: int) -> list[str]:
    """The forecast as lines of at most ``WIDTH`` cells."""
    from salestui.cli.agenda import _fit, _visible
    from salestui.domain import forecast as fc
    from salestui.domain.clock import local

    total = result.total
    lines = [
        f"Forecast for {_visible(result.owner)}, next {weeks} weeks: {total.expected:.1f} advances expected "
        f"(band {total.low}-{total.high})",
        f"  from {total.calls} planned calls; read from {result.history.held} held calls, prior worth "
        f"{fc.PRIOR_STRENGTH:g} calls toward " + ("the team's rates" if result.team_prior else "the overall rate"),
        "",
    ]
    for week in result.weeks:
        label = "This week" if week.week == 0 else f"Week of {week.start:%d %b}"
        lines.append(
            f"  {label:<16}{week.band.expected:>5.1f} advances  band {week.band.low}-{week.band.high}"
            f"  ({week.band.calls} call{'s' if week.band.calls != 1 else ''})"
        )
    if result.calls:
        lines += ["", "Planned calls: chance of an advance / target or better (held calls like it)"]
        for forecast in result.calls:
            call = forecast.call
            lines.append(
                "  "
                + local(call.scheduled_at).strftime("%a %d %b %H:%M")
                + "  "
                + _fit(_visible(call.account), 22)
                + f" {fc.kind_label(call.kind):<11} {call.readiness:>3}%  "
                + f"{fc.pct(forecast.advance.value):>5} / {fc.pct(forecast.target.value):>5} ({forecast.advance.calls})"
            )
    if result.movers:
        lines += ["", "What would move it"]
        for mover in result.movers:
            lines += textwrap.wrap(_visible(mover.line), WIDTH, initial_indent="  ", subsequent_indent="    ")
    lines += ["", "Backtest (each past week forecast from the calls before it)", "  " + result.backtest.summary]
    # A long rep name: wrapped, never wider than the terminal's 80 columns.
    return [part for line in lines for part in (textwrap.wrap(line, WIDTH, subsequent_indent="    ") or [""])]
