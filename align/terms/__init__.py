"""Terminology: how was a term rendered? Sub-sentence lookup over the translation memory."""
