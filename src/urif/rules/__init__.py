"""Clause formulas of the agreement in exact Decimal form: pure, small, with doctests."""
