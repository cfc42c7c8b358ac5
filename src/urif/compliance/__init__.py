"""Sanctions screening: list parsers, name matching, ownership chains, review cases."""
