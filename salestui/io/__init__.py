"""Import and export formats (no Textual)."""
