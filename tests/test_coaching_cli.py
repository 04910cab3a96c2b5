"""``salestui coach``: add, list and mark done from the shell; a manager coaches a rep's call on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from salestui.cli import main
from salestui.domain.enums import AdvanceLevel
from salestui.store import coaching
from salestui.store.core import open_store

HOSTILE = "[TODO] call [/] back"


def _call(where: str, now, owner: str | None = "rep") -> int:  # type: ignore[no-untyped-def]
    store = open_store(where, owner=owner)
    call_id = store.calls.create(store.accounts.create("Acme").id, now + timedelta(days=1), objective="Pilot")
    store.calls.add_objection(call_id, "Too expensive", "Phase it")
    store.calls.set_advance(call_id, AdvanceLevel.TARGET, "Agrees to a pilot", "", None)
    store.close()
    return call_id


def test_coach_add_list_done_and_refusals(tmp_path, frozen_now, capsys):
    db = str(tmp_path / "c.db")
    call_id = _call(db, frozen_now)
    assert main(["coach", str(call_id), HOSTILE, "--db", db]) == 0
    assert capsys.readouterr().out == f"Coaching note 1 on call {call_id} (Acme), Whole plan.\n"
    assert main(["coach", str(call_id), "Name the date", "--on", "target", "--db", db]) == 0
    assert main(["coach", str(call_id), "Cost of waiting", "--on", "objection:1", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("Objection: Too expensive.")
    assert main(["coach", "--done", "2", "--db", db]) == 0
    capsys.readouterr()

    assert main(["coach", "--list", str(call_id), "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Call {call_id} · Acme · Tue 24 Nov 09:00 · Discovery"
    assert out[1].startswith("  [ ]    1  Whole plan — by rep, ")
    assert out[2] == f"              {HOSTILE}"
    assert "[ ]    3  Objection: Too expensive" in out[3]
    assert out[5].startswith("  [x]    2  Target rung")
    assert main(["coach", "--list", "--db", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 7  # every planned call's notes

    for argv, message in (
        (["coach", "--db", db], 'coach needs CALL_ID and "TEXT"'),
        (["coach", str(call_id), "x", "--on", "objection:4", "--db", db], "it has 1"),
        (["coach", str(call_id), "x", "--on", "price", "--db", db], "not a part of a plan"),
        (["coach", "99", "x", "--db", db], "no call #99"),
        (["coach", str(call_id), "  ", "--db", db], "needs some text"),
        (["coach", "--list", "99", "--db", db], "There is no call #99."),
        (["coach", "--done", "42", "--db", db], "was removed"),
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("salestui: ") and message in err and "Traceback" not in err, (argv, err)
    store = open_store(db, owner="rep")
    assert len(store.calls.plan(call_id).coaching) == 3
    store.close()


def test_a_manager_coaches_from_the_shell_and_another_rep_cannot(logins, frozen_now, capsys):
    open_store(logins.admin, owner="admin").close()  # the administrator sets the team database up
    call_id = _call(logins.rep_a, frozen_now, owner=None)
    assert main(["coach", str(call_id), "Ask for the CFO", "--on", "stretch", "--db", logins.manager]) == 0
    assert "Stretch rung" in capsys.readouterr().out
    assert main(["coach", str(call_id), "Planted", "--db", logins.rep_b]) == 2
    assert "Only a manager or the call's own rep" in capsys.readouterr().err
    assert main(["coach", "--done", "1", "--db", logins.rep_b]) == 2
    assert "Only the call's own rep marks" in capsys.readouterr().err
    assert main(["coach", "--done", "1", "--db", logins.rep_a]) == 0
    store = open_store(logins.rep_a)
    notes = coaching.notes(store, call_id)
    assert [(n.text, n.author, n.done) for n, _ in notes] == [("Ask for the CFO", logins.names["m"], True)]
    store.close()
