"""Joint governance: bodies, seats, proposals, votes, decisions, site consent, opportunity rights."""
