"""Service level agreements: models arrive with their issue."""
