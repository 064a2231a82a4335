"""The translation-memory store (SQLite): units from `run` and from imported TMX, searchable."""
