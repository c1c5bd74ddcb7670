"""What app.py composes: each module builds one service's parts (domain services, servicers, workers) from
settings."""
