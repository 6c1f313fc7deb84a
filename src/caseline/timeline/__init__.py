"""Resolution: every time of a case turned into days from its day 0, with bounds. No Qt."""
