"""Reporting's own records (board packs and their builds) arrive with their issue."""
