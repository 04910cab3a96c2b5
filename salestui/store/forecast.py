"""Forecast reads: held calls counted in SQL, and the planned calls of the weeks ahead.

Held calls (``rules.held``) are counted by rep, week, call kind, readiness band and how far they
got (an advance; the target or better) in one GROUP BY: a few hundred rows whatever the number
of calls. A held call's week is the week it took place (``rules.happened_at``), its band that of
the readiness frozen when it started (``readiness_at_start``, what stats compare). Planned calls
(``rules.ahead``: planned, not started, no outcome) in the window are few; their readiness is
live, computed from their plans as every list computes it (``convert.summarise``).

The same SQL runs on SQLite and PostgreSQL: the week and band are computed in a subquery and
grouped by name outside it (PostgreSQL cannot match a GROUP BY expression holding bound values).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from salestui.domain import forecast as fc
from salestui.domain.clock import local_zone, now
from salestui.domain.clock import today as local_today
from salestui.domain.enums import AdvanceLevel, Outcome
from salestui.domain.readiness import HIGH_FROM, LOW_BELOW, readiness
from salestui.store import rules
from salestui.store import tables as t

if TYPE_CHECKING:
    from salestui.store.core import Store

_call = rules.CALL
_account = rules.ACCOUNT
_advance: sa.Table = t.Advance.__table__  # type: ignore[attr-defined]

MINE = "mine"
TEAM = "team"
"""Scopes besides a rep's name: the rep's own calls (with calls that have no owner), everyone's."""


@dataclass(frozen=True, slots=True)
class ForecastInput:
    """What the forecast is computed from: every rep's held-call counts, the planned calls in scope."""

    me: str
    groups: tuple[fc.HeldGroup, ...]
    planned: tuple[fc.PlannedCall, ...]
    today: date
    weeks: int
    back: int

    @property
    def reps(self) -> tuple[str, ...]:
        """Every rep with a held or planned call, by name."""
        names = {g.owner for g in self.groups} | {c.owner for c in self.planned}
        return tuple(sorted(names, key=lambda name: (name.casefold(), name)))

    @property
    def team(self) -> bool:
        """More than one rep: the manager's view (each rep, and the team)."""
        return fc.is_team(self.groups, self.planned)

    def owners(self, scope: str) -> frozenset[str] | None:
        """The reps a scope covers (``None``: everyone)."""
        if scope == TEAM:
            return None
        return frozenset({self.me if scope == MINE else scope})

    def forecast(self, scope: str = MINE) -> fc.Forecast:
        """The forecast of one scope: ``MINE``, ``TEAM`` or a rep's name."""
        name = "Team" if scope == TEAM else (self.me if scope == MINE else scope)
        return fc.build(
            self.groups, self.planned, self.owners(scope), name, self.today, weeks=self.weeks, back=self.back
        )


def _utc_starts(days: Iterable[date]) -> list[datetime]:
    """Local midnight of each day, with that day's own offset (``zoneinfo``)."""
    zone = local_zone()
    return [datetime.combine(day, time(), tzinfo=zone) for day in days]


def _typed(moment: datetime) -> Any:
    return sa.literal(moment, t.UTCDateTime())


def _week(when: Any, bounds: list[datetime], first: int) -> Any:
    """The index of the week ``when`` falls in (``bounds[i]`` starts week ``first + i``), as nested
    CASEs that halve the weeks at each level: a handful of comparisons per call, not one per week."""
    if len(bounds) == 1:
        return sa.literal_column(str(first))
    middle = len(bounds) // 2
    return sa.case(
        (when < _typed(bounds[middle]), _week(when, bounds[:middle], first)),
        else_=_week(when, bounds[middle:], first + middle),
    )


def held_groups(store: Store, starts: list[date], back: int) -> list[fc.HeldGroup]:
    """Held calls of every rep from ``starts[0]`` on, counted by week (``starts[i]`` begins week
    ``i - back``; after the last one, ``LATER``), kind, readiness band and outcome.

    Only the weeks asked for are read, by a range on the index of ``rules.happened_at``."""
    when = rules.happened_at(_call)
    bounds = _utc_starts(starts)
    week = sa.case((when >= _typed(bounds[-1]), fc.LATER), else_=_week(when, bounds[:-1], -back))
    score = _call.c.readiness_at_start
    band = sa.case(
        (score.is_(None), fc.NOT_RECORDED),
        (score < LOW_BELOW, "low"),
        (score >= HIGH_FROM, "high"),
        else_="medium",
    )
    advanced = sa.case((_call.c.outcome == Outcome.ADVANCE.value, 1), else_=0)
    # The secured advance (at most one per call: ux_advance_one_secured) when it is the target or better.
    reached = sa.case((_advance.c.id.is_not(None), 1), else_=0)
    secured = sa.and_(
        _advance.c.call_id == _call.c.id,
        _advance.c.secured,
        _advance.c.level.in_([AdvanceLevel.STRETCH.value, AdvanceLevel.TARGET.value]),
        _call.c.outcome == Outcome.ADVANCE.value,
    )
    rows = (
        sa.select(
            _call.c.owner.label("owner"),
            week.label("week"),
            _call.c.kind.label("kind"),
            band.label("band"),
            advanced.label("advanced"),
            reached.label("reached"),
        )
        .select_from(_call.outerjoin(_advance, secured))
        .where(when >= _typed(bounds[0]), rules.held(_call))
        .subquery("held_call")
    )
    query = sa.select(
        rows.c.owner,
        rows.c.week,
        rows.c.kind,
        rows.c.band,
        sa.func.count(),
        sa.func.sum(rows.c.advanced),
        sa.func.sum(rows.c.reached),
    ).group_by(rows.c.owner, rows.c.week, rows.c.kind, rows.c.band)
    with store.reading() as session:
        found = session.execute(query).all()
    return [
        fc.HeldGroup(
            _owner(store, owner), int(week_), str(kind), str(band_), fc.Tally(int(held), int(adv), int(target))
        )
        for owner, week_, kind, band_, held, adv, target in found
    ]


def planned_calls(store: Store, starts: list[date], back: int, owners: frozenset[str] | None) -> list[fc.PlannedCall]:
    """Calls still ahead (``rules.ahead``) from now to the end of the window, of ``owners`` (``None``: all)."""
    from salestui.store.calls import assemble_plans

    moment = now()
    end = _utc_starts([starts[-1]])[0]
    ahead = [rules.ahead(moment, _call), _call.c.scheduled_at.is_not(None), _call.c.scheduled_at < _typed(end)]
    if owners is not None:
        named = set(owners)
        if store.owner in named:
            named.add("")  # calls without an owner are the rep's own (``scope.owner_filter``)
        ahead.append(_call.c.owner.in_(sorted(named)))
    ids = sa.select(_call.c.id).where(*ahead)
    with store.reading() as session:
        calls = session.execute(sa.select(*_call.columns).where(*ahead).order_by(_call.c.scheduled_at)).all()
        if not calls:
            return []
        names = dict(
            session.execute(
                sa.select(_account.c.id, _account.c.name).where(
                    _account.c.id.in_(sa.select(_call.c.account_id).where(*ahead))
                )
            ).all()
        )
        plans = assemble_plans(session, calls, names, ids)
    out = []
    for plan in plans:
        assert plan.scheduled_at is not None
        day = plan.scheduled_at.astimezone(local_zone()).date()
        out.append(
            fc.PlannedCall(
                call_id=plan.id,
                owner=_owner(store, plan.owner),
                account=plan.account_name,
                scheduled_at=plan.scheduled_at,
                kind=plan.kind.value,
                readiness=readiness(plan).score,
                week=fc.week_of(day, starts, back),
            )
        )
    return out


def _owner(store: Store, owner: str | None) -> str:
    """A call's rep; a call without an owner is the rep's own (``scope.owner_filter``)."""
    return owner if owner else store.owner


def read(
    store: Store,
    weeks: int = fc.WEEKS,
    scope: str | None = None,
    back: int = fc.BACKTEST_WEEKS,
) -> ForecastInput:
    """Everything a forecast needs: every rep's held counts, and the planned calls of ``scope``
    (``MINE``, ``TEAM``, a rep's name; ``None``: everyone's, to switch between reps on screen)."""
    if weeks < 1:
        raise ValueError("weeks must be 1 or more")
    today = local_today()
    starts = fc.week_starts(today, back, weeks)
    # The backtest's first week reads the HISTORY_WEEKS before it.
    groups = held_groups(store, fc.week_starts(today, back + fc.HISTORY_WEEKS, weeks), back + fc.HISTORY_WEEKS)
    owners = None if scope is None or scope == TEAM else frozenset({store.owner if scope == MINE else scope})
    planned = planned_calls(store, starts, back, owners)
    return ForecastInput(store.owner, tuple(groups), tuple(planned), today, weeks, back)
