"""pyqtgraph items, themes and figure export. No windows or dialogs."""
