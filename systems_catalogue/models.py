"""Systems catalogue: models arrive with their issue."""
