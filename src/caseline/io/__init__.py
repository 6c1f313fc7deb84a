"""Files to the model: readers registered by file type, located YAML/JSON, the case-file builder, atomic
writes. Imports the model only; ``caseline.timeline.load`` reads and resolves."""
