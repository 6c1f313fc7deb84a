"""Qt widgets: the main window, panels, dialogs. The only package that uses QSettings."""
