"""Renderers: statements and overviews as text, JSON, PDF, XLSX; charts as PNG."""
