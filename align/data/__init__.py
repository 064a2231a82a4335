"""Package data: the fitted aligner weights (aligner.json), the fitted confidence model (confidence.json) and
the table of official titles, offices, meeting words and country abbreviations (official_terms.tsv, read by
`align.terms.official`)."""
