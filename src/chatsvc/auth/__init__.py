"""Bearer tokens, principals, the scope table and the interceptor that enforces it."""
