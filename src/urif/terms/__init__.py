"""The agreement as dated, sourced data: term files → ``TermSet`` → ``Terms`` on a date."""
