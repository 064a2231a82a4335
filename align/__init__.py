"""align: English–Chinese sentence alignment and translation memory.

Pipeline: ingest → segment → score → aligners → export / store / terms.
"""

__version__ = "0.1.0"
