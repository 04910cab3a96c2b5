"""Account dossier in Markdown: golden file on the demo data; user text stays literal."""

from __future__ import annotations

from salestui.io.dossier import all_dossiers_markdown, dossier_markdown, md, md_block
from salestui.store.core import Store
from tests.golden_files import assert_golden


def _id(store: Store, name: str) -> int:
    account = store.accounts.find_by_name(name)
    assert account is not None
    return account.id


def test_initech_dossier_matches_the_golden_file(demo_store: Store) -> None:
    assert_golden("dossier_initech.md", dossier_markdown(demo_store, _id(demo_store, "Initech")))


def test_dossier_has_every_part(demo_store: Store) -> None:
    text = dossier_markdown(demo_store, _id(demo_store, "Acme Manufacturing"))
    for heading in (
        "# Acme Manufacturing",
        "## Contacts",
        "## Research",
        "### Product fit",
        "## Competitor comparisons",
    ):
        assert f"\n{heading}\n" in f"\n{text}"
    assert "## Calls (3)" in text
    assert text.count("**Debrief**") == 3
    assert "Not debriefed yet." in text  # the planned pricing review
    assert "**Outcome:** Continuation" in text
    assert "Fallback: Raj introduces us to procurement this week (owner: customer) — **secured**" in text


def test_a_draft_debrief_is_marked_as_such(demo_store: Store) -> None:
    stark = _id(demo_store, "Stark Logistics")
    call = next(c for c in demo_store.calls.history(stark) if demo_store.debriefs.get(c.id) is None and c.outcome)
    demo_store.debriefs.save(call.id, went_well="Typed, then left")
    text = dossier_markdown(demo_store, stark)
    assert "*Draft: not finished yet.*" in text and "Typed, then left" in text
    demo_store.debriefs.finish(call.id)
    assert "Draft" not in dossier_markdown(demo_store, stark)


def test_user_text_is_escaped() -> None:
    assert md("[TODO] call [/] back") == "\\[TODO\\] call \\[/\\] back"
    assert md("<script>x</script> *bold* a|b") == "\\<script\\>x\\</script\\> \\*bold\\* a\\|b"
    assert md_block("# not a heading\n- not a list\n1. nor this", "  ") == (
        "\\# not a heading\n  \\- not a list\n  1\\. nor this"
    )


def test_tricky_account(store: Store) -> None:
    account = store.accounts.create("[@click=app.quit]x[/]", notes="# heading?\n<b>bold</b>")
    store.accounts.add_note(account.id, "competitor", "Line one\n- line two", source="[link](http://x)")
    text = dossier_markdown(store, account.id)
    assert text.startswith("# \\[@click=app.quit\\]x\\[/\\]\n")
    assert "\\# heading?" in text and "\\<b\\>bold\\</b\\>" in text
    assert "- Line one\n  \\- line two *(source: \\[link\\](http://x))*" in text
    assert "No contacts yet." in text and "No calls yet." in text


def test_all_dossiers(demo_store: Store) -> None:
    text = all_dossiers_markdown(demo_store)
    assert text.count("\n---\n") == 4
    assert text.index("# Acme Manufacturing") < text.index("# Initech") < text.index("# Wayne Retail")
