"""Ingestion: bytes on disk → decoded text → transcript structure → segmented Document."""

from align.ingest.decode import read_text
from align.ingest.language import detect_language, to_simplified
from align.ingest.load import document_from_text, load_document, read_lines
from align.ingest.transcript import parse_transcript

__all__ = ["read_text", "detect_language", "to_simplified", "parse_transcript", "load_document", "document_from_text", "read_lines"]
