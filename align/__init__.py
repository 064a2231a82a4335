"""align: English–Chinese sentence alignment and translation memory.

Pipeline: ingest → segment → score → aligners → export / store / terms.
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # `from align import align_texts` without loading the aligner when only the CLI's parser is needed
    if name in ("align_texts", "AlignedBead"):
        from align import api

        return getattr(api, name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")
