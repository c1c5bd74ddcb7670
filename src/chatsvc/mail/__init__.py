"""Email: the message as the scheduler hands it over, MIME building, and the senders (SMTP, Gmail, Graph)."""
