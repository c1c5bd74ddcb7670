"""Run under .venv-official: checks bearer tokens the way Google's "Verify requests from Google Chat" has Chat apps
check them, with google-auth, against chatsvc's certificate URLs. Reads {"base": chatsvc's HTTP URL, "cases": [{"name",
"check", "token", "audience", "certs_url"}]} on stdin; prints {name: {"claims": {...}} or {"error": "Type: message"}}.

Checks:
- guide_url: an endpoint-URL audience. The guide calls `id_token.verify_oauth2_token(token, request, AUDIENCE)`, which
  fetches Google's ID-token keys; with the certificates URL changed that is `verify_token(..., certs_url)` plus the
  issuer check verify_oauth2_token makes, then the guide's `email` check (and `email_verified`).
- oauth2: the guide's call itself, unchanged, with www.googleapis.com reaching chatsvc (as a proxy or hosts file
  would).
- guide_project: a project-number audience: `verify_token(token, request, AUDIENCE, certs_url)` and `iss`.
- jwt_decode: the same with the certificates fetched first and `google.auth.jwt.decode(token, certs=..., audience=...)`.
"""
import json
import sys

import google.auth.transport.requests
from google.auth import jwt
from google.oauth2 import id_token

CHAT_ISSUER = "chat@system.gserviceaccount.com"
GOOGLE_APIS = "https://www.googleapis.com"


class ToChatsvc(google.auth.transport.requests.Request):
    """google-auth's requests transport, with Google's API host answered by chatsvc."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def __call__(self, url, method="GET", **kwargs):
        if url.startswith(GOOGLE_APIS + "/"):
            url = self.base + url[len(GOOGLE_APIS):]
        return super().__call__(url, method=method, **kwargs)


def check(case, base):
    request = google.auth.transport.requests.Request()
    token, audience = case["token"], case["audience"]
    kind = case["check"]
    if kind == "guide_url":
        claims = id_token.verify_token(token, request, audience, certs_url=case["certs_url"])
        if claims["iss"] not in ("accounts.google.com", "https://accounts.google.com"):
            raise ValueError("Wrong issuer")
        if claims["email"] != CHAT_ISSUER or claims.get("email_verified") is not True:
            raise ValueError("Invalid token: not Google Chat's")
    elif kind == "oauth2":
        claims = id_token.verify_oauth2_token(token, ToChatsvc(base), audience)
        if claims["email"] != CHAT_ISSUER:
            raise ValueError("Invalid token: not Google Chat's")
    elif kind == "guide_project":
        claims = id_token.verify_token(token, request, audience, case["certs_url"])
        if claims["iss"] != CHAT_ISSUER:
            raise ValueError("Invalid issuer")
    elif kind == "jwt_decode":
        response = request(case["certs_url"], method="GET")
        claims = jwt.decode(token, certs=json.loads(response.data), audience=audience)
        if claims["iss"] != CHAT_ISSUER:
            raise ValueError("Invalid issuer")
    else:
        raise SystemExit(f"unknown check {kind}")
    return claims


def main():
    job = json.load(sys.stdin)
    results = {}
    for case in job["cases"]:
        try:
            results[case["name"]] = {"claims": check(case, job["base"])}
        except Exception as error:  # every refusal is reported, whatever google-auth raises
            results[case["name"]] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
