"""Questions asked of resolved cases: landmarks, alignment, metrics, tables, wording, de-identification and the
teaching reveal. Pure Python, no Qt."""
