"""The client_secrets.json of a registered client, in Google's format (as the Cloud console downloads it), with
`auth_uri` and `token_uri` at chatsvc: google_auth_oauthlib's `Flow.from_client_secrets_file` reads it as is."""
from __future__ import annotations

from chatsvc.domain.oauth_grants import OAuthClient


def client_secrets(client: OAuthClient, secret: str, base: str) -> dict:
    base = base.rstrip("/")
    return {client.kind: {
        "client_id": client.id,
        "project_id": "chatsvc",
        "auth_uri": f"{base}/oauth2/auth",
        "token_uri": f"{base}/oauth2/token",
        "client_secret": secret,
        "redirect_uris": list(client.redirect_uris),
    }}
