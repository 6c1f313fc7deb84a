"""Resolved cases turned into geometry: rows, marks as numpy arrays, label placement. No Qt."""
