"""Questions to ask in a call: SPIN kinds, the built-in bank per call kind, and what a plan lacks."""

from __future__ import annotations

from dataclasses import dataclass

from salestui.domain.enums import CallKind, QuestionKind
from salestui.domain.models import CallPlan, Question

NO_PROBLEM_QUESTION = "no question about their problem"
NO_QUESTIONS = "no questions planned"

# Discovery calls exist to find and size the customer's problem (SPIN: problem and implication).
DIGGING = (QuestionKind.PROBLEM, QuestionKind.IMPLICATION)

_SHORT = {
    QuestionKind.NONE: "",
    QuestionKind.SITUATION: "S",
    QuestionKind.PROBLEM: "P",
    QuestionKind.IMPLICATION: "I",
    QuestionKind.NEED_PAYOFF: "N",
}


def kind_letter(kind: QuestionKind) -> str:
    """One letter for a SPIN kind (``""`` for none): how lists show it."""
    return _SHORT[kind]


def kind_label(kind: QuestionKind) -> str:
    """Words for a SPIN kind: ``need-payoff``, ``problem``, ``no kind``."""
    return "no kind" if kind is QuestionKind.NONE else kind.value.replace("_", "-")


@dataclass(frozen=True, slots=True)
class BankQuestion:
    """A question of the built-in bank: the text, its SPIN kind and what it should reveal."""

    text: str
    kind: QuestionKind
    hope: str = ""


def _q(text: str, kind: QuestionKind, hope: str = "") -> BankQuestion:
    return BankQuestion(text, kind, hope)


SIT, PRO, IMP, NEED = QuestionKind.SITUATION, QuestionKind.PROBLEM, QuestionKind.IMPLICATION, QuestionKind.NEED_PAYOFF

BANK: dict[CallKind, tuple[BankQuestion, ...]] = {
    CallKind.DISCOVERY: (
        _q("How do you handle this today, and who is involved?", SIT, "the current process and the people"),
        _q("What is hardest about the way it works now?", PRO, "the pain in their own words"),
        _q("How often does that go wrong, and what happens when it does?", IMP, "the size of the problem"),
        _q("What does that cost you in a quarter: time, money, customers?", IMP, "a number to build the case on"),
        _q("If that were solved, what would it be worth to you?", NEED, "the value they put on a fix"),
        _q("Who else feels this problem, and who decides on fixing it?", SIT, "the buying group"),
    ),
    CallKind.DEMO: (
        _q("Which part of your day should this demo make easier?", PRO, "what to show first"),
        _q("What would you need to see to call this a fit?", NEED, "their success criteria"),
        _q("How does your team do that step today?", SIT, "the workflow to mirror"),
        _q("What happens downstream when that step is late?", IMP, "why speed matters to them"),
    ),
    CallKind.PROPOSAL: (
        _q("Does this scope match the problem we agreed on?", PRO, "gaps before the price"),
        _q("What would make this an easy yes for your CFO?", NEED, "the financial argument"),
        _q("What stands between this proposal and a signature?", SIT, "the remaining steps"),
        _q("What happens if this waits another quarter?", IMP, "the cost of delay"),
    ),
    CallKind.NEGOTIATION: (
        _q("Which terms matter most to you, and which are flexible?", SIT, "where to trade"),
        _q("What would have to change for you to sign this month?", NEED, "the closing condition"),
        _q("What does not deciding cost you each month?", IMP, "urgency on their side"),
        _q("Who else must approve, and what will they ask?", SIT, "the approval path"),
    ),
    CallKind.CHECK_IN: (
        _q("What has changed on your side since we last spoke?", SIT, "news that moves the deal"),
        _q("What is not working as well as you hoped?", PRO, "a problem to solve next"),
        _q("What would a successful next quarter look like for you?", NEED, "the next opportunity"),
        _q("Who else in the company could use this?", SIT, "an introduction"),
    ),
}
BANK[CallKind.OTHER] = BANK[CallKind.DISCOVERY]


def bank(kind: CallKind) -> tuple[BankQuestion, ...]:
    """The built-in questions for a call kind (an "other" call gets the discovery ones)."""
    return BANK[kind]


_BY_LETTER = {letter: kind for kind, letter in _SHORT.items() if letter}


def bank_lines(questions: tuple[BankQuestion, ...]) -> list[str]:
    """The bank as editable lines: ``P | What goes wrong? | the pain`` (letter, question, to learn)."""
    return [" | ".join(x for x in (kind_letter(q.kind) or "-", q.text, q.hope) if x) for q in questions]


def parse_bank_lines(lines: list[str]) -> tuple[BankQuestion, ...]:
    """Lines back to bank questions; the SPIN letter and the ``| to learn`` part are optional."""
    out = []
    for line in lines:
        parts = [part.strip() for part in line.split("|")]
        kind = QuestionKind.NONE
        if len(parts) > 1 and (parts[0].upper() in _BY_LETTER or parts[0] in ("-", "")):
            kind = _BY_LETTER.get(parts[0].upper(), QuestionKind.NONE)
            parts = parts[1:]
        text, hope = parts[0], " | ".join(parts[1:])
        if text:
            out.append(BankQuestion(text, kind, hope))
    return tuple(out)


def question_gap(plan: CallPlan) -> str | None:
    """What the plan's questions lack, in plain words, or ``None`` when they are enough.

    A plan needs at least one question; a discovery call needs one about the customer's problem
    (a SPIN problem or implication question).
    """
    written = [q for q in plan.questions if q.text.strip()]
    if not written:
        return NO_QUESTIONS
    if plan.kind is CallKind.DISCOVERY and not any(q.kind in DIGGING for q in written):
        return NO_PROBLEM_QUESTION
    return None


def unasked(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """Written questions not asked in the call (what a next plan should still ask)."""
    return tuple(q for q in questions if q.text.strip() and not q.asked)


def asked_summary(questions: tuple[Question, ...]) -> str:
    """``2 of 3 questions asked`` (``no questions planned`` when there were none)."""
    written = [q for q in questions if q.text.strip()]
    if not written:
        return NO_QUESTIONS
    return f"{sum(1 for q in written if q.asked)} of {len(written)} questions asked"
