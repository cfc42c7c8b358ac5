"""Use cases: one function per user action, each one database transaction.

``record`` appends events (``urif ingest``, ``POST /api/events``); ``fund_state`` folds the
log through every engine (ledger, governance, compliance); ``books`` reads and checks the
books (accounts, obligations, balances, statement, verify, replay); ``demo`` runs the main
job end to end.  Other areas add their own modules here (governance, compliance,
simulation).  See README.md.
"""
