"""One APIRouter per resource: documents (and their edits), memory (search, lookup), jobs (import)."""
