"""The rules of each resource: who may do what, limits, state transitions. No transport, no SQL."""
