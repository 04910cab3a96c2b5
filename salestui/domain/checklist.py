"""The default preparation checklist, from the Sales Execution Model article."""

DEFAULT_TEMPLATE: tuple[str, ...] = (
    "Objective written",
    "Quantifiable goal set",
    "Presentation material ready",
    "Proposal / pricing ready",
    "Contract ready",
    "Marketing material chosen",
    "Objections and answers listed",
    "Expected return defined",
    "Practised the call",
    "Advances planned (stretch, target, fallback)",
)
