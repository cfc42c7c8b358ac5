"""The fund's books: chart of accounts, balanced journal entries, booking, capital accounts."""
