"""``salestui coach CALL_ID "TEXT" [--on PART]``: coach a call from the shell; ``--list [CALL_ID]`` lists
the coaching notes (of one call, or of every call still planned); ``--done NOTE_ID`` marks one done."""

from __future__ import annotations

import argparse
from typing import Any

from salestui.cli import fail


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``coach`` subcommand."""
    parser = subparsers.add_parser(
        "coach",
        parents=[common],
        help="leave a coaching note on a call's plan, list coaching notes, or mark one done",
        description="Coach a planned call: the note shows on the rep's plan beside the part it is about. "
        "A manager coaches any rep's call (on a team database); a rep their own (e.g. notes from a ride-along).",
    )
    parser.add_argument("call_id", nargs="?", type=int, metavar="CALL_ID", help="the call (its number, e.g. 12)")
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the coaching note (quote it)")
    parser.add_argument(
        "--on",
        metavar="PART",
        default="plan",
        help="the part of the plan: plan (default), objective, stretch, target, fallback, "
        "objection:N or question:N (N as numbered in the plan)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list coaching notes: of CALL_ID, or of every call still planned"
    )
    parser.add_argument("--done", type=int, metavar="NOTE_ID", help="mark a note on your own call done")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add, list or mark done; one clear line on any refusal."""
    from salestui.domain.coaching import BadPart
    from salestui.store.accounts import InvalidInput
    from salestui.store.core import StoreError, open_store
    from salestui.store.preflight import DatabaseProblem

    if not args.list and args.done is None and (args.call_id is None or args.text is None):
        return fail('coach needs CALL_ID and "TEXT" (or --list [CALL_ID], or --done NOTE_ID)')
    if args.list and args.text is not None:
        return fail("--list takes at most a CALL_ID, no text")
    try:
        store = open_store(args.db)
    except DatabaseProblem as problem:
        return fail(str(problem))
    try:
        if args.list:
            return _list(store, args.call_id)
        if args.done is not None:
            return _done(store, args.done)
        return _add(store, args.call_id, args.text, args.on)
    except (InvalidInput, StoreError, BadPart) as error:
        return fail(str(error))
    finally:
        store.close()


def _plan(store: Any, call_id: int) -> Any:
    from salestui.store.core import NotFound

    try:
        return store.calls.plan(call_id)
    except NotFound:
        raise NotFound(f"There is no call #{call_id}.") from None


def _add(store: Any, call_id: int, text: str, on: str) -> int:
    from salestui.domain.coaching import parse_part, part_label
    from salestui.store import coaching

    plan = _plan(store, call_id)
    note = coaching.add_note(store, call_id, text, parse_part(on, plan))
    print(f"Coaching note {note.id} on call {call_id} ({plan.account_name}), {part_label(note, plan)}.")
    return 0


def _done(store: Any, note_id: int) -> int:
    from salestui.store import coaching

    note = coaching.set_done(store, note_id)
    print(f"Coaching note {note.id} on call {note.call_id} marked done.")
    return 0


def _list(store: Any, call_id: int | None) -> int:
    from salestui import format as fmt
    from salestui.domain.coaching import part_label
    from salestui.domain.enums import label
    from salestui.store import coaching

    plans: dict[int, Any] = {}
    if call_id is not None:
        plans[call_id] = _plan(store, call_id)  # a call that does not exist is named as such
    found = coaching.notes(store, call_id)
    if not found:
        print("No coaching notes" + (f" on call {call_id}." if call_id is not None else " on planned calls."))
        return 0
    shown: int | None = None
    for note, call in found:
        if call.id != shown:
            shown = call.id
            plan = plans.setdefault(call.id, _plan(store, call.id))
            print(f"Call {call.id} · {call.account_name} · {fmt.when(call.scheduled_at)} · {label(call.kind)}")
        plan = plans[call.id]
        mark = "[x]" if note.done else "[ ]"
        author = note.author or "?"
        at = fmt.when(note.created_at) if note.created_at else ""
        print(f"  {mark} {note.id:>4}  {part_label(note, plan)} — by {author}, {at}")
        for line in note.text.splitlines() or [""]:
            print(f"              {line}")
    return 0
