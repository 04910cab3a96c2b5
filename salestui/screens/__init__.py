"""One screen per journey."""
