"""OAuth 2.0 with the account providers (Google, Microsoft): endpoints as configuration, calls over HTTP."""
