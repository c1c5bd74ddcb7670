"""The browser client: static files built from web/ (`make web`) and the routes that serve them."""
