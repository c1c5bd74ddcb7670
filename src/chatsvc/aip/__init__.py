"""Pure helpers for Google's API conventions: resource names, page tokens, ids. No I/O."""
