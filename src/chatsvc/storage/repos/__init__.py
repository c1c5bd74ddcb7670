"""One repository module per table group; each works on the connection of one transaction."""
