"""Plain domain rules: no Textual, no SQLAlchemy."""
