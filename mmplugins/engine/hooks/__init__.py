"""Hooks of the toolkit."""
