"""Persistence, the only SQL: tables, migrations, the append-only event log, read models."""
