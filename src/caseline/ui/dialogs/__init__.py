"""Dialogs of the window: export figure, comparison table."""
