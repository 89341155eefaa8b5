"""Risk registers: models arrive with their issue."""
