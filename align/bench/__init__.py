"""Benchmarks (measurements, not tests), one module per `python -m align bench WHICH`: quality (MAC-Dev),
speed, review, batch, fuzzy and terms (the Bible set; both read `../shared/data`, or --data), memory (a
generated TMX of 200,000 units) and fuzz (the property-based checks with many examples). common holds
what several of them share."""
