"""chatsvc: a self-hosted server for Google Chat's google.chat.v1 API."""
