"""Pure geometry of timelines: resolution, alignment, lane layout, label placement. No Qt."""
