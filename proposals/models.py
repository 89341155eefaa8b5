"""Audit proposals and actions: models arrive with their issue."""
