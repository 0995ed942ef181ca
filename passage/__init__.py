"""Passage: operations system for the field mission of a migration agency."""

__version__ = "0.1.0"
