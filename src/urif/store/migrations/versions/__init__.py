"""Alembic revisions: one linear chain, ``0001_event_log`` first (see TEAM.md)."""
