"""Secrets at rest: the key that seals OAuth tokens, and the sealing itself."""
