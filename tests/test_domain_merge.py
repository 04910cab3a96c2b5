"""Three-way merge of a text field (``domain.merge``): both windows' edits are kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from salestui.domain.merge import OTHER_MARK, merge_text, moved_cursor, replaced_choice


def test_unchanged_sides_take_the_other() -> None:
    assert merge_text("a", "a b", "a").text == "a b"
    assert merge_text("a", "a", "a c").text == "a c"
    assert merge_text("a", "a b", "a b") == merge_text("a", "a b", "a")


def test_edits_at_different_places_both_apply() -> None:
    merged = merge_text(
        "call the CFO. send the deck.", "call the CFO first. send the deck.", "call the CFO. send the deck today."
    )
    assert merged.text == "call the CFO first. send the deck today." and not merged.conflicted


def test_the_same_spot_keeps_both_texts_the_other_marked() -> None:
    one_line = merge_text("", "signed pilot", "demo date")
    assert one_line.text == f"signed pilot {OTHER_MARK}demo date" and one_line.conflicted
    lines = merge_text("", "signed pilot", "demo date", multiline=True)
    assert lines.text == f"signed pilot\n{OTHER_MARK}demo date"


def test_a_word_cut_by_the_diff_is_kept_whole() -> None:
    merged = merge_text("<w6>", "<w8><w6>", "<w7><w6>")
    assert "<w8>" in merged.text and "<w7>" in merged.text


def test_deleting_what_the_other_changed_keeps_the_change() -> None:
    merged = merge_text("alpha beta gamma", "alpha gamma", "alpha BETA gamma")
    assert "BETA" in merged.text


def test_choice_names_what_a_later_save_replaced() -> None:
    assert replaced_choice("discovery", "demo", "discovery") is None
    assert replaced_choice("discovery", "demo", "negotiation") == "negotiation"
    assert replaced_choice("discovery", "demo", "demo") is None


def test_cursor_stays_by_its_words_when_text_changes_before_it() -> None:
    assert moved_cursor("hello", "well, hello", 5) == 11
    assert moved_cursor("hello", "hello there", 2) == 2
    assert moved_cursor("a", "a [from another window] b", 1) == 1  # own typing stays in front
    assert moved_cursor("abcdef", "abef", 3) == 2


words = st.lists(st.sampled_from(["price", "scope", "pilot", "SSO", "[/]", "[TODO]", "é", "\n"]), max_size=6)


@given(base=words, mine_at=st.integers(0, 10), theirs_at=st.integers(0, 10))
def test_both_inserted_words_are_always_kept(base, mine_at, theirs_at) -> None:  # type: ignore[no-untyped-def]
    tokens = [*base]
    mine = tokens[: mine_at % (len(tokens) + 1)] + ["MINE"] + tokens[mine_at % (len(tokens) + 1) :]
    theirs = tokens[: theirs_at % (len(tokens) + 1)] + ["THEIRS"] + tokens[theirs_at % (len(tokens) + 1) :]
    merged = merge_text(" ".join(tokens), " ".join(mine), " ".join(theirs), multiline=True)
    assert "MINE" in merged.text and "THEIRS" in merged.text
