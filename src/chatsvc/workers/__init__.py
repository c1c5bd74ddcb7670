"""Background work running inside the server process: the email campaign scheduler."""
