"""Review of past calls: keyset pages of lean lines, filters, full-text search, stats rows.

Review lists every call held, cancelled or overdue (``rules.in_review``) by when it took place
(``rules.happened_at``: started, else ended, else planned). Pages never load every row: each
query seeks on the ``(happened_at, id)`` expression index and reads one page plus one row (to
know whether more follow). Lines come from columns only; no plan is
loaded per line. Search runs on the table ``search_fts`` kept in sync by triggers: FTS5 on
SQLite (migration ``0002_search``), a ``tsvector`` with a GIN index on PostgreSQL
(``0015_pg_search``); both give the newest matches, ranked and highlighted here alike.
"""

from __future__ import annotations

import functools
import heapq
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from salestui.domain import models as m
from salestui.domain.calibration import LadderRow, calibrate, calibrate_by_key, rung_of
from salestui.domain.clock import local_zone, now
from salestui.domain.clock import today as local_today
from salestui.domain.enums import AdvanceLevel, CallKind, CallStatus, DebriefState, Outcome
from salestui.domain.review import HitSource, PageCursor, ReviewFilter, SearchHit, cursor_of, period_bounds
from salestui.domain.stats import (
    BUSIEST_ACCOUNTS,
    NOT_PRACTISED,
    PRACTISED,
    Ladder,
    StatRow,
    Stats,
    busiest,
    rate,
    rates_by_band,
    rates_by_key,
)
from salestui.store import rules
from salestui.store import tables as t
from salestui.store.scope import mine_clause

if TYPE_CHECKING:
    from salestui.store.core import Store

PAGE = 100
SEARCH_LIMIT = 50
SCOPED_SEARCH = 4
"""A search of the rep's own records ranks this many times the hits shown, then keeps the rep's."""
# Rank only the newest matches: every match of "p*" at 100,000 calls would cost far more than
# a keystroke may take (``rank_texts``).
SEARCH_CANDIDATES = 1000
MIN_PREFIX = 2
SNIPPET = 90

_call = t.Call.__table__  # type: ignore[attr-defined]
_account = t.Account.__table__  # type: ignore[attr-defined]
_debrief = t.Debrief.__table__  # type: ignore[attr-defined]
_advance = t.Advance.__table__  # type: ignore[attr-defined]
_SOURCE_BY_CODE = {
    0: HitSource.QUESTION,
    1: HitSource.CALL,
    2: HitSource.OBJECTION,
    3: HitSource.NOTE,
    4: HitSource.DEBRIEF,
    5: HitSource.RESEARCH,
    6: HitSource.ACCOUNT,
    7: HitSource.ADVANCE,
}
# A word as the FTS5 tokenizer (unicode61) cuts them: letters and digits; "_" separates.
_WORD = re.compile(r"[^\W_]+")
NEEDS_DEBRIEF = ReviewFilter(needs_debrief=True)
OVERDUE = ReviewFilter(follow_up_overdue=True)
# Stats rows kept by the triggers of migrations 0007_perf and 0011_stats_ladder (SQLite only),
# in one statement: the other dimensions whole, the account dimensions for the busiest accounts
# only (``stats.busiest``: most held calls, ties by name), each with its account's name. At
# 100,000 calls a rep has thousands of accounts and reading all their rows cost more than the
# rest of stats together.
_SUMMARY = (
    "WITH busiest AS ("
    " SELECT h.key FROM (SELECT key,"
    f" sum(CASE WHEN outcome != '{Outcome.CANCELLED.value}' THEN calls ELSE 0 END) AS held"
    " FROM stats_summary WHERE dim = 'account' AND calls > 0 GROUP BY key) AS h"
    " JOIN account AS a ON a.id = CAST(h.key AS INTEGER) ORDER BY h.held DESC, a.name LIMIT :busiest)"
    " SELECT s.dim, s.key, s.outcome, s.level, s.calls, s.debriefed FROM stats_summary AS s"
    " WHERE s.dim IN ('kind', 'month', 'band', 'practised', 'ladder_kind', 'ladder_month') AND s.calls > 0"
    " UNION ALL"
    " SELECT s.dim, coalesce(a.name, s.key), s.outcome, s.level, s.calls, s.debriefed"
    " FROM busiest AS b JOIN stats_summary AS s ON s.dim IN ('account', 'ladder_account') AND s.key = b.key"
    " LEFT JOIN account AS a ON a.id = CAST(s.key AS INTEGER) WHERE s.calls > 0"
)
# Summary dimensions of the calibration ladder start with this.
_LADDER = "ladder_"
# The outcomes the calibration ladder counts: those that end on a rung.
_LADDER_OUTCOMES = [outcome.value for outcome in Outcome if rung_of(outcome, None) is not None]
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
# ``calibration.rung_of`` for every (outcome, secured level) a row can hold, looked up per row.
_RUNGS = {
    (outcome.value, level.value if level else None): rung_of(outcome, level)
    for outcome in Outcome
    for level in (None, *AdvanceLevel)
}
_PENDING_BEFORE = sa.text("SELECT coalesce(sum(calls), 0) FROM stats_summary WHERE dim = 'pending' AND key < :day")
# PostgreSQL's summary (0015_pg_search) has the same rows per owner: the scope's are summed first.
_PG_OWNERS = "(:everyone OR owner IN (:owner, ''))"
_PG_SUMMARY = sa.text(
    # The busiest accounts from the account rows alone (one index range), then the other
    # dimensions (a few hundred rows) and those accounts' rows (index lookups), each summed over
    # the scope's owners.
    "WITH busiest AS (SELECT h.key FROM (SELECT key,"
    f" sum(CASE WHEN outcome != '{Outcome.CANCELLED.value}' THEN calls ELSE 0 END) AS held"
    f" FROM stats_summary WHERE dim = 'account' AND calls > 0 AND {_PG_OWNERS} GROUP BY key) AS h"
    " JOIN account AS a ON a.id = CAST(h.key AS INTEGER) ORDER BY h.held DESC, a.name LIMIT :busiest)"
    " SELECT dim, key, outcome, level, sum(calls), sum(debriefed) FROM stats_summary"
    " WHERE dim IN ('kind', 'month', 'band', 'practised', 'ladder_kind', 'ladder_month')"
    f" AND {_PG_OWNERS} GROUP BY dim, key, outcome, level HAVING sum(calls) > 0"
    " UNION ALL"
    " SELECT s.dim, coalesce(min(a.name), s.key), s.outcome, s.level, sum(s.calls), sum(s.debriefed)"
    " FROM busiest AS b JOIN stats_summary AS s ON s.dim IN ('account', 'ladder_account') AND s.key = b.key"
    " LEFT JOIN account AS a ON a.id = CAST(s.key AS INTEGER) WHERE (:everyone OR s.owner IN (:owner, ''))"
    " GROUP BY s.dim, s.key, s.outcome, s.level HAVING sum(s.calls) > 0"
)
_PG_PENDING_BEFORE = sa.text(
    f"SELECT coalesce(sum(calls), 0) FROM stats_summary WHERE dim = 'pending' AND key < :day AND {_PG_OWNERS}"
)
_Band = tuple[int | None, Outcome, int, int]


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of review lines, newest first, and whether lines exist beyond either edge."""

    lines: tuple[m.CallSummary, ...]
    has_newer: bool
    has_older: bool

    @property
    def first(self) -> PageCursor | None:
        """Cursor of the newest line on the page."""
        return cursor_of(self.lines[0]) if self.lines else None

    @property
    def last(self) -> PageCursor | None:
        """Cursor of the oldest line on the page."""
        return cursor_of(self.lines[-1]) if self.lines else None


@dataclass(frozen=True, slots=True)
class CallDetail:
    """A call's full plan with the previous and next call of the same account."""

    plan: m.CallPlan
    previous_id: int | None
    next_id: int | None


@dataclass(frozen=True, slots=True)
class _Counts:
    """What stats fold: rows per group and outcome, readiness bands, practice and ladder rows."""

    kinds: list[StatRow]
    months: list[StatRow]
    accounts: list[StatRow]
    bands: list[_Band]
    practised: list[StatRow]
    ladder_kinds: list[LadderRow]
    ladder_months: list[LadderRow]
    ladder_accounts: list[LadderRow]


def _ladder_rows(rows: Iterable[tuple[str, str, str | None, int]]) -> list[LadderRow]:
    """Held calls per group, outcome and secured level, as rungs (calls that reach none are left out)."""
    out = []
    for key, outcome, level, calls in rows:
        rung = _RUNGS[outcome, level or None]
        if rung is not None:
            out.append(LadderRow(key, rung, int(calls)))
    return out


@functools.cache
def _without_marks() -> dict[int, None]:
    # Every combining mark lies below U+1F000 (Unicode 15: the last is U+1E94A); 16 ms, once.
    return {code: None for code in range(0x1F000) if unicodedata.combining(chr(code))}


def fold(word: str) -> str:
    """Text without accents and case, as the FTS5 tokenizer sees it (``Café`` -> ``cafe``)."""
    if word.isascii():
        return word.casefold()
    return unicodedata.normalize("NFKD", word).translate(_without_marks()).casefold()


def search_words(text: str) -> list[str]:
    """The folded words of a search; one-letter words are dropped (they match nearly everything)."""
    return [fold(w) for w in _WORD.findall(text) if len(w) >= MIN_PREFIX]


def fts_query(text: str) -> str | None:
    """User text to an FTS5 query: every word literal and a prefix (search while typing)."""
    words = search_words(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def pg_query(words: Sequence[str]) -> str:
    """Folded search words to a PostgreSQL ``tsquery``: every word a prefix (migration ``0015_pg_search``).

    The server folds it again with ``salestui_fold``, the function its index was built with (the
    same fold as ``fold``; folding twice changes nothing).
    """
    return " & ".join(f"'{word}':*" for word in words)


def _hit_columns(query: sa.TextClause) -> sa.TextualSelect:
    return query.columns(
        sa.column("rowid"),
        sa.column("call_id"),
        sa.column("account_id"),
        sa.column("name"),
        sa.column("scheduled_at", t.UTCDateTime()),
        sa.column("body"),
        sa.column("happened_at", t.UTCDateTime()),
    )


# A hit's own columns and what it shows (when: ``rules.happened_at``).
_HIT = (
    "SELECT s.rowid, s.call_id, s.account_id, a.name, c.scheduled_at, s.body,"
    " coalesce(c.started_at, c.ended_at, c.scheduled_at, c.created_at) AS happened_at"
)
# Each backend's search: (the newest matches, the texts of the hits shown, by rowid). SQLite:
# the FTS5 index walks the matches newest first and stops; the texts are point lookups (the
# highlighting is done here, where snippet() would make SQLite walk every match again).
# PostgreSQL: the GIN index on ``doc`` (or, for a prefix most rows hold, the primary key walked
# newest first), then the same point lookups.
_SQLITE_SEARCH = (
    sa.text(
        "SELECT rowid, substr(body, 1, :chars) FROM search_fts WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :cap"
    ),
    _hit_columns(
        sa.text(
            f"{_HIT} FROM json_each(:ids) AS j JOIN search_fts AS s ON s.rowid = j.value"
            " JOIN account AS a ON a.id = s.account_id LEFT JOIN call AS c ON c.id = s.call_id"
        )
    ),
)
_PG_SEARCH = (
    sa.text(
        "SELECT rowid, substr(body, 1, :chars) FROM search_fts"
        " WHERE doc @@ to_tsquery('pg_catalog.simple', salestui_fold(:q))"
        " ORDER BY rowid DESC LIMIT :cap"
    ),
    _hit_columns(
        sa.text(
            f"{_HIT} FROM search_fts AS s JOIN account AS a ON a.id = s.account_id"
            " LEFT JOIN call AS c ON c.id = s.call_id WHERE s.rowid = ANY(:ids)"
        )
    ),
)


def snippet_of(body: str, words: list[str], width: int = SNIPPET) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``body`` around the first match and the spans of every word matched in it."""
    flat = body.replace("\n", " ").replace("\r", " ")
    spans = [(m.start(), m.end()) for m in _WORD.finditer(flat) if any(fold(m.group()).startswith(w) for w in words)]
    if len(flat) <= width:
        return flat, tuple(spans)
    start = max(0, (spans[0][0] if spans else 0) - width // 4)
    start = min(start, max(0, len(flat) - width))
    end = min(len(flat), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    kept = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return prefix + flat[start:end] + suffix, kept


# FTS5's bm25() defaults: how soon more occurrences stop counting, and how much length costs.
_BM25_K1 = 1.2
_BM25_B = 0.75
# Ranking reads a text's first characters only: a long research note must not make each
# keystroke slow.
RANK_CHARS = 2000


def rank_texts(texts: Sequence[str], words: Sequence[str]) -> list[float]:
    """BM25 of each text for ``words`` as prefixes; lower is better, as FTS5's ``rank``.

    Every text holds every word (the search asked for all of them), so the words weigh the same:
    a text ranks by how often they occur, saturating, against its length relative to the others.
    FTS5's bm25() also weighed rarer words higher, counting every match of every word on each
    keystroke, which grows with the database ("p*" at 100,000 calls); this does not. The search
    passes each text's first ``RANK_CHARS`` characters: a long text is judged by its beginning.
    """
    if not texts:
        return []
    starts = [re.compile(r"(?<![^\W_])" + re.escape(word)) for word in words]
    average = sum(max(len(text), 1) for text in texts) / len(texts)
    scores = []
    for text in texts:
        folded = fold(text)
        damp = _BM25_K1 * (1 - _BM25_B + _BM25_B * max(len(text), 1) / average)
        counts = (len(start.findall(folded)) for start in starts)
        scores.append(-sum(tf * (_BM25_K1 + 1) / (tf + damp) for tf in counts))
    return scores


def _month(session: Any) -> Any:
    """A call's month (``YYYY-MM``, UTC as stored; NULL without a time) in the session's SQL dialect."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", _call.c.scheduled_at)
    return sa.func.to_char(_call.c.scheduled_at, "YYYY-MM")


def _moment(day: date) -> datetime:
    """Local midnight of ``day`` as an aware datetime."""
    return datetime.combine(day, time(), tzinfo=local_zone())  # that day's offset, not today's


def _typed(value: datetime) -> Any:
    return sa.literal(value, t.UTCDateTime())


class ReviewRepo:
    """Keyset-paged review lines, filters, search and the stats rows."""

    def __init__(self, store: Store, owner: str | None = None) -> None:
        self._store = store
        self._owner = owner
        """Only this rep's calls (and calls without an owner); ``None``: everyone's."""

    def scoped(self, owner: str | None) -> ReviewRepo:
        """The same reads restricted to ``owner``'s calls (``scope.scope_owner``); ``None``: everyone's."""
        return self if owner == self._owner else ReviewRepo(self._store, owner)

    def _owners(self) -> dict[str, Any]:
        """The parameters of ``_PG_SUMMARY``'s owner filter: everyone's rows, or the scope's."""
        return {"everyone": self._owner is None, "owner": self._owner or ""}

    def _mine(self) -> list[Any]:
        """The owner clause of a scoped repo (``scope.mine_clause``), else none."""
        return [] if self._owner is None else [mine_clause(self._owner, _call.c.owner)]

    # -- pages -------------------------------------------------------------------------------------
    def _where(self, flt: ReviewFilter) -> list[Any]:
        """The clauses of ``flt``, over ``call`` outer-joined with ``debrief``."""
        moment = now()
        today = local_today()
        clauses: list[Any] = [rules.in_review(moment, _call), *self._mine()]
        when = rules.happened_at(_call)
        if flt.account_id is not None:
            clauses.append(_call.c.account_id == flt.account_id)
        if flt.outcome is not None:
            clauses.append(_call.c.outcome == flt.outcome.value)
        if flt.kind is not None:
            clauses.append(_call.c.kind == CallKind(flt.kind).value)
        begin, after = period_bounds(flt.period, today, flt.start, flt.end)
        if begin is not None:
            clauses.append(when >= _typed(_moment(begin)))
        if after is not None:
            clauses.append(when < _typed(_moment(after)))
        if flt.needs_debrief:
            clauses.append(rules.needs_debrief(moment, _call, _debrief))
        if flt.follow_up_overdue:
            clauses.append(rules.follow_up_overdue(today, _call))
        return clauses

    def _lines(self, flt: ReviewFilter, extra: list[Any], newest_first: bool, limit: int) -> list[m.CallSummary]:
        when = rules.happened_at(_call)
        order = [when.desc(), _call.c.id.desc()] if newest_first else [when, _call.c.id]
        query = (
            sa.select(
                when,
                _call.c.id,
                _call.c.account_id,
                _account.c.name,
                _call.c.scheduled_at,
                _call.c.kind,
                _call.c.status,
                _call.c.objective,
                _call.c.outcome,
                _call.c.readiness_at_start,
                rules.debrief_state(_debrief),
                _debrief.c.follow_up,
                _call.c.owner,
            )
            .select_from(
                _call.join(_account, _account.c.id == _call.c.account_id).outerjoin(
                    _debrief, _debrief.c.call_id == _call.c.id
                )
            )
            .where(*self._where(flt), *extra)
            .order_by(*order)
            .limit(limit)
        )
        with self._store.reading() as session:
            rows = session.execute(query).all()
        lines = [
            m.CallSummary(
                id=row[1],
                account_id=row[2],
                account_name=row[3],
                scheduled_at=row[4],
                kind=CallKind(row[5]),
                status=CallStatus(row[6]),
                objective=row[7],
                outcome=Outcome(row[8]) if row[8] else None,
                readiness=row[9],
                debrief_state=DebriefState(row[10]),
                follow_up=row[11],
                happened_at=row[0],
                owner=row[12],
            )
            for row in rows
        ]
        return lines if newest_first else lines[::-1]

    def first_page(self, flt: ReviewFilter = ReviewFilter(), limit: int = PAGE) -> ReviewPage:  # noqa: B008
        """The newest ``limit`` lines."""
        lines = self._lines(flt, [], True, limit + 1)
        return ReviewPage(tuple(lines[:limit]), has_newer=False, has_older=len(lines) > limit)

    def last_page(self, flt: ReviewFilter = ReviewFilter(), limit: int = PAGE) -> ReviewPage:  # noqa: B008
        """The oldest ``limit`` lines (still shown newest first)."""
        lines = self._lines(flt, [], False, limit + 1)
        return ReviewPage(tuple(lines[-limit:]), has_newer=len(lines) > limit, has_older=False)

    def older(self, flt: ReviewFilter, after: PageCursor, limit: int = PAGE) -> ReviewPage:
        """The ``limit`` lines just older than ``after``."""
        key = sa.tuple_(rules.happened_at(_call), _call.c.id) < sa.tuple_(_typed(after.at), after.id)
        lines = self._lines(flt, [key], True, limit + 1)
        return ReviewPage(tuple(lines[:limit]), has_newer=True, has_older=len(lines) > limit)

    def newer(self, flt: ReviewFilter, before: PageCursor, limit: int = PAGE) -> ReviewPage:
        """The ``limit`` lines just newer than ``before``."""
        key = sa.tuple_(rules.happened_at(_call), _call.c.id) > sa.tuple_(_typed(before.at), before.id)
        lines = self._lines(flt, [key], False, limit + 1)
        return ReviewPage(tuple(lines[-limit:]), has_newer=len(lines) > limit, has_older=True)

    def count(self, flt: ReviewFilter = ReviewFilter()) -> int:  # noqa: B008
        """How many lines match ``flt``."""
        if self._owner is not None:
            with self._store.reading() as session:
                alone = self._all_mine(session)
            if alone:  # a rep alone in the database: the quick counts below hold
                return self.scoped(None).count(flt)
        # The summary's pending rows: SQLite's are everyone's, PostgreSQL's are per owner.
        if flt == NEEDS_DEBRIEF and (self._owner is None or self._store.engine.dialect.name == "postgresql"):
            with self._store.reading() as session:
                return self._needs_debrief_count(session)
        if flt == OVERDUE:
            with self._store.reading() as session:
                return self._overdue_count(session)
        if not flt.active and self._owner is None:
            # Every call in review: all calls less the few still ahead. Counting ``in_review``
            # itself scanned the table (23 ms at 100,000 calls against 0.9 ms this way).
            ahead = sa.select(sa.func.count()).select_from(_call).where(rules.ahead(now(), _call))
            with self._store.reading() as session:
                total = session.execute(sa.select(sa.func.count()).select_from(_call)).scalar_one()
                return int(total) - int(session.execute(ahead).scalar_one())
        source: Any = _call
        if flt.needs_debrief or flt.follow_up_overdue:
            source = _call.outerjoin(_debrief, _debrief.c.call_id == _call.c.id)
        query = sa.select(sa.func.count()).select_from(source).where(*self._where(flt))
        with self._store.reading() as session:
            return int(session.execute(query).scalar_one())

    # -- one call ----------------------------------------------------------------------------------
    def detail(self, call_id: int) -> CallDetail:
        """The call's full plan and its neighbours in the same account's history."""
        plan = self._store.calls.plan(call_id)
        previous_id = next_id = None
        if plan.scheduled_at is not None:
            here = sa.tuple_(_call.c.scheduled_at, _call.c.id)
            there = sa.tuple_(_typed(plan.scheduled_at), plan.id)
            same = [_call.c.account_id == plan.account_id, _call.c.scheduled_at.is_not(None)]
            with self._store.reading() as session:
                previous_id = session.execute(
                    sa.select(_call.c.id)
                    .where(*same, here < there)
                    .order_by(_call.c.scheduled_at.desc(), _call.c.id.desc())
                    .limit(1)
                ).scalar()
                next_id = session.execute(
                    sa.select(_call.c.id).where(*same, here > there).order_by(_call.c.scheduled_at, _call.c.id).limit(1)
                ).scalar()
        return CallDetail(plan, previous_id, next_id)

    # -- search ------------------------------------------------------------------------------------
    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Matches of every word of ``text`` as a prefix, accents ignored: the newest
        ``SEARCH_CANDIDATES``, best first by BM25 among them (``rank_texts``)."""
        if self._owner is not None:
            return self._owned(ReviewRepo(self._store).search(text, limit * SCOPED_SEARCH), self._owner)[:limit]
        words = search_words(text)
        if not words:
            return []
        postgresql = self._store.engine.dialect.name == "postgresql"
        newest, shown = _PG_SEARCH if postgresql else _SQLITE_SEARCH
        query = pg_query(words) if postgresql else fts_query(text)
        with self._store.reading() as session:
            candidates = session.execute(newest, {"q": query, "cap": SEARCH_CANDIDATES, "chars": RANK_CHARS}).all()
            if not candidates:
                return []
            scores = rank_texts([beginning or "" for _, beginning in candidates], words)
            # Best first; equal scores newest first.
            ranked = zip((row[0] for row in candidates), scores, strict=True)
            order = heapq.nsmallest(limit, ranked, key=lambda pair: (pair[1], -pair[0]))
            ids = [r[0] for r in order]
            found = {
                row[0]: row for row in session.execute(shown, {"ids": ids if postgresql else json.dumps(ids)}).all()
            }
        hits = []
        for rowid, score in order:
            row = found.get(rowid)
            if row is None:
                continue
            snippet, spans = snippet_of(row[5] or "", words)
            hits.append(
                SearchHit(
                    source=_SOURCE_BY_CODE[rowid % 8],
                    account_id=row[2],
                    account_name=row[3],
                    call_id=row[1],
                    scheduled_at=row[4],
                    snippet=snippet,
                    spans=spans,
                    rank=float(score),
                    happened_at=row[6],
                )
            )
        return hits

    # -- stats -------------------------------------------------------------------------------------
    def beyond(self, flt: ReviewFilter, direction: str, lines: Sequence[m.CallSummary], limit: int) -> ReviewPage:
        """The page beyond ``lines`` in ``direction`` (``older``/``newer``), or the first / last page."""
        if direction == "older" and lines:
            return self.older(flt, cursor_of(lines[-1]), limit)
        if direction == "newer" and lines:
            return self.newer(flt, cursor_of(lines[0]), limit)
        if direction == "last":
            return self.last_page(flt, limit)
        return self.first_page(flt, limit)

    def stats(self) -> Stats:
        """The rep's numbers: per group and outcome, the calls and those with a finished debrief.

        The counts come from ``stats_summary``, kept by triggers in the same transaction as every
        write (SQLite: migrations ``0007_perf``, ``0011_stats_ladder``, ``0014_pending_started``;
        PostgreSQL: ``0015_pg_search``, per owner): a few thousand rows however many calls there
        are. A scoped read on a SQLite file that holds other owners' calls groups the calls
        instead. Either way the domain folds them into rates of held calls (``rules.is_held``)
        and the calibration ladder.
        """
        with self._store.reading() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            # PostgreSQL's summary (0015_pg_search) keeps each owner's rows apart: it serves every scope.
            summarised = not sqlite or self._all_mine(session)
            counts = (self._summary if summarised else self._grouped)(session)
            overdue = self._overdue_count(session)
            undebriefed = self._needs_debrief_count(session) if summarised else self._count(session, NEEDS_DEBRIEF)
        return Stats(
            overall=rate(counts.kinds),
            by_month=rates_by_key(counts.months),
            # By name: the backends give the busiest accounts in different orders.
            by_account=rates_by_key(sorted(counts.accounts, key=lambda r: r.key)),
            by_kind=rates_by_key(counts.kinds),
            by_band=rates_by_band(counts.bands),
            overdue_follow_ups=overdue,
            without_debrief=undebriefed,
            ladder=Ladder(
                calibrate(counts.ladder_kinds),
                calibrate_by_key(counts.ladder_months),
                calibrate_by_key(counts.ladder_kinds),
                calibrate_by_key(sorted(counts.ladder_accounts, key=lambda r: r.key)),
            ),
            practised=rates_by_key(counts.practised),
        )

    def _grouped(self, session: Any) -> _Counts:
        """Stats rows grouped from every call with an outcome (PostgreSQL; on SQLite, the summary's check)."""
        joined = _call.outerjoin(_debrief, _debrief.c.call_id == _call.c.id)
        counted = (sa.func.count(), rules.count_debriefed(_debrief))

        def grouped(*keys: Any) -> Any:
            return (
                sa.select(*keys, _call.c.outcome, *counted)
                .select_from(joined)
                .where(_call.c.outcome.is_not(None), *self._mine())
                .group_by(*keys, _call.c.outcome)
            )

        def rows(query: Any, label: Any = str) -> list[StatRow]:
            return [
                StatRow(label(key), Outcome(outcome), int(calls), int(debriefed))
                for key, outcome, calls, debriefed in session.execute(query).all()
            ]

        month = _month(session)
        bands = [
            (score, Outcome(outcome), int(calls), int(debriefed))
            for score, outcome, calls, debriefed in session.execute(grouped(_call.c.readiness_at_start)).all()
        ]
        names = dict(session.execute(sa.select(_account.c.id, _account.c.name)).all())
        rehearsed = sa.exists().where(t.PracticeRun.__table__.c.call_id == _call.c.id)  # type: ignore[attr-defined]

        def named(account_id: Any) -> str:
            return str(names.get(int(account_id), account_id))

        def practised(key: Any) -> str:
            # SQLite gives the EXISTS as 1/0 (PostgreSQL as true/false).
            return PRACTISED if str(key) in ("1", "True", "true") else NOT_PRACTISED

        ladder = _call.outerjoin(_advance, sa.and_(_advance.c.call_id == _call.c.id, _advance.c.secured))

        def rungs(key: Any, label: Any = str) -> list[LadderRow]:
            query = (
                sa.select(key, _call.c.outcome, _advance.c.level, sa.func.count())
                .select_from(ladder)
                .where(_call.c.outcome.in_(_LADDER_OUTCOMES), *self._mine())
                .group_by(key, _call.c.outcome, _advance.c.level)
            )
            return _ladder_rows(
                (label(group), outcome, level, calls) for group, outcome, level, calls in session.execute(query).all()
            )

        accounts = rows(grouped(_call.c.account_id), named)
        shown = busiest(accounts, BUSIEST_ACCOUNTS)
        return _Counts(
            kinds=rows(grouped(_call.c.kind)),
            months=rows(grouped(month).order_by(month.desc())),
            accounts=[r for r in accounts if r.key in shown],
            bands=bands,
            practised=rows(grouped(rehearsed), practised),
            ladder_kinds=rungs(_call.c.kind),
            ladder_months=sorted(rungs(month), key=lambda r: r.key, reverse=True),
            ladder_accounts=[r for r in rungs(_call.c.account_id, named) if r.key in shown],
        )

    def _all_mine(self, session: Any) -> bool:
        """Whether every call is one this read counts (so ``stats_summary`` and the quick counts hold):
        unscoped, or no call has another owner (three index seeks on ``ix_call_owner``)."""
        if self._owner is None:
            return True
        owners = _call.c.owner
        lowest, highest = session.execute(sa.select(sa.func.min(owners), sa.func.max(owners))).one()
        mine = ("", self._owner)
        if lowest is None:
            return True
        if lowest not in mine or highest not in mine:
            return False
        between = sa.select(owners).where(owners > "", owners < self._owner).limit(1)
        return session.execute(between).first() is None

    def _owned(self, hits: list[SearchHit], owner: str) -> list[SearchHit]:
        """The hits of ``owner``'s records: a call's text by the call's owner, an account's by the account's."""
        calls = {hit.call_id for hit in hits if hit.call_id is not None}
        accounts = {hit.account_id for hit in hits if hit.call_id is None}
        with self._store.reading() as session:
            whose = {
                ("call", row_id): row_owner
                for row_id, row_owner in session.execute(
                    sa.select(_call.c.id, _call.c.owner).where(_call.c.id.in_(calls))
                ).all()
            }
            whose.update(
                (("account", row_id), row_owner)
                for row_id, row_owner in session.execute(
                    sa.select(_account.c.id, _account.c.owner).where(_account.c.id.in_(accounts))
                ).all()
            )
        return [
            hit
            for hit in hits
            if whose.get(("call", hit.call_id) if hit.call_id is not None else ("account", hit.account_id))
            in ("", owner)
        ]

    def _summary(self, session: Any) -> _Counts:
        """The same rows as ``_grouped``, read from ``stats_summary``: kept by triggers on SQLite
        (0007_perf, 0011_stats_ladder, 0014_pending_started) and on PostgreSQL (0015_pg_search,
        by owner: the scope's owners are summed).

        SQLite: plain DB-API rows (building SQLAlchemy rows cost more than the query).
        """
        found: dict[str, list[StatRow]] = {dim: [] for dim in ("kind", "month", "account", "band", "practised")}
        ladder: dict[str, list[tuple[str, str, str, int]]] = {"kind": [], "month": [], "account": []}
        if session.get_bind().dialect.name == "sqlite":
            cursor = session.connection().connection.cursor()
            try:
                rows = cursor.execute(_SUMMARY, {"busiest": BUSIEST_ACCOUNTS}).fetchall()
            finally:
                cursor.close()
        else:
            rows = session.execute(_PG_SUMMARY, {"busiest": BUSIEST_ACCOUNTS, **self._owners()}).all()
        for dim, key, outcome, level, calls, debriefed in rows:
            if dim.startswith(_LADDER):
                ladder[dim.removeprefix(_LADDER)].append((key or "None", outcome, level, int(calls)))
            else:
                found[dim].append(StatRow(key, _OUTCOMES[outcome], int(calls), int(debriefed)))
        # Months newest first and a call with no time ("None") last, as ORDER BY ... DESC gives them.
        months = [
            StatRow(r.key or "None", r.outcome, r.calls, r.debriefed)
            for r in sorted(found["month"], key=lambda r: (r.key != "", r.key), reverse=True)
        ]
        bands = [(int(r.key) if r.key else None, r.outcome, r.calls, r.debriefed) for r in found["band"]]
        return _Counts(
            kinds=found["kind"],
            months=months,
            accounts=found["account"],
            bands=bands,
            practised=[
                StatRow(PRACTISED if r.key == "1" else NOT_PRACTISED, r.outcome, r.calls, r.debriefed)
                for r in found["practised"]
            ],
            ladder_kinds=_ladder_rows(ladder["kind"]),
            ladder_months=sorted(_ladder_rows(ladder["month"]), key=lambda r: r.key, reverse=True),
            ladder_accounts=_ladder_rows(ladder["account"]),
        )

    def _needs_debrief_count(self, session: Any) -> int:
        """``count(NEEDS_DEBRIEF)`` from the summary's whole UTC days before today, plus today's calls.

        A ``pending`` row's day is the day the call first needed its debrief: the earlier of its
        planned time and its start (migration ``0014_pending_started``). The calls counted live
        are the others: neither planned nor started before today's midnight.
        """
        midnight = datetime.combine(now().astimezone(UTC).date(), time(), tzinfo=UTC)
        day = {"day": midnight.date().isoformat()}
        if session.get_bind().dialect.name == "sqlite":
            before = session.execute(_PENDING_BEFORE, day).scalar_one()
        else:
            before = session.execute(_PG_PENDING_BEFORE, {**day, **self._owners()}).scalar_one()
        return int(before) + sum(int(session.execute(query).scalar_one()) for query in self._today_needing(midnight))

    def _today_needing(self, midnight: datetime) -> tuple[sa.Select[Any], ...]:
        """Counts of the calls needing a debrief that were neither planned nor started before ``midnight``.

        Two index seeks (planned from midnight on; no planned time) rather than one ``OR``.
        """
        since = _typed(midnight)
        joined = _call.outerjoin(_debrief, _debrief.c.call_id == _call.c.id)
        not_started_before = sa.or_(_call.c.started_at.is_(None), _call.c.started_at >= since)
        where = self._where(NEEDS_DEBRIEF)
        return (
            sa.select(sa.func.count())
            .select_from(joined)
            .where(*where, _call.c.scheduled_at >= since, not_started_before),
            sa.select(sa.func.count())
            .select_from(joined)
            .where(*where, _call.c.scheduled_at.is_(None), _call.c.started_at >= since),
        )

    def _overdue_count(self, session: Any) -> int:
        """``count(ReviewFilter(follow_up_overdue=True))``, from the few calls waiting for their
        follow-up (``rules.FOLLOW_UP_OPEN``: a range of its date index) joined to their calls."""
        return int(session.execute(self._overdue_query()).scalar_one())

    def _overdue_query(self) -> sa.Select[Any]:
        waiting = rules.overdue_follow_ups(local_today()).subquery("overdue")
        counted = [rules.in_review(now(), _call), *self._mine()]
        if self._store.engine.dialect.name == "postgresql":
            # PostgreSQL hash-joined the 1,400 rows to a scan of every call (84 ms at 100,000 calls):
            # a LATERAL probe (OFFSET 0 keeps it one) looks each call up by its key instead.
            probe = sa.select(_call.c.id).where(_call.c.id == waiting.c.call_id, *counted).offset(0).lateral("held")
            return sa.select(sa.func.count()).select_from(waiting.join(probe, sa.true()))
        return (
            sa.select(sa.func.count()).select_from(waiting.join(_call, _call.c.id == waiting.c.call_id)).where(*counted)
        )

    def _count(self, session: Any, flt: ReviewFilter) -> int:
        source = _call.outerjoin(_debrief, _debrief.c.call_id == _call.c.id)
        return int(
            session.execute(sa.select(sa.func.count()).select_from(source).where(*self._where(flt))).scalar_one()
        )
