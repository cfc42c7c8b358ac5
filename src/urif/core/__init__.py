"""Money, dates, ids and the error tree: the stdlib-only base every layer stands on."""
