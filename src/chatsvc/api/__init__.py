"""The wire layer: proto in -> domain call -> proto out. No SQL here."""
