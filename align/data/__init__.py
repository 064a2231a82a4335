"""Package data: the fitted confidence model (confidence.json)."""
