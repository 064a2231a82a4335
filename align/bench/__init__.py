"""Benchmarks (measurements, not tests), one module per `python -m align bench WHICH`: quality (MAC-Dev),
speed, review, batch, fuzzy and terms (the Bible set; both read `../shared/data`, or --data), memory (a
generated TMX of 200,000 units), fuzz (the property-based checks with many examples) and qa (number QA on
benchmarks/quantity_pairs.tsv), press (`run` end to end on press-dev, scored by text). common holds
what several of them share."""
