"""chatsvc: a self-hosted server for Google Chat's google.chat.v1 API."""

# Our own protos (package chatsvc.credentials.v1, ...) are generated into generated/chatsvc/: let this
# package span both directories, as the wheel does by packing them into one.
__path__ = __import__("pkgutil").extend_path(__path__, __name__)
