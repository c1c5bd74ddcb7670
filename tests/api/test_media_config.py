"""Where the media endpoint listens, the URL it is known by, and a server without it."""
import json

from google.chat.v1 import attachment_pb2, message_pb2

from chatsvc.cli import _parser
from chatsvc.http.server import http_address
from tests.api.media_support import bearer, http, with_tokens
from tests.conftest import serving
from tests.helpers import new_space, user


def test_http_address():
    assert http_address("auto", "127.0.0.1:50051") == ("127.0.0.1", 50052)
    assert http_address("auto", "[::1]:50051") == ("::1", 50052)
    assert http_address("auto", "127.0.0.1:0") == ("127.0.0.1", 0)  # both ports of the system's choosing
    assert http_address("0.0.0.0:8080", "127.0.0.1:50051") == ("0.0.0.0", 8080)
    assert http_address("off", "127.0.0.1:50051") is None


def test_serve_flags():
    args = _parser().parse_args(["serve"])
    assert (args.http_listen, args.public_url, args.data_dir, args.max_upload_bytes) == ("auto", None, None, None)
    args = _parser().parse_args(["serve", "--http-listen", "off", "--data-dir", "/srv/files",
                                 "--public-url", "https://chat.example.com", "--max-upload-bytes", "1000"])
    assert (args.http_listen, args.data_dir, args.public_url, args.max_upload_bytes) == (
        "off", "/srv/files", "https://chat.example.com", 1000)
    # The media endpoint's flags from before the HTTP endpoint served more stay as aliases.
    args = _parser().parse_args(["serve", "--media-listen", "127.0.0.1:9000", "--media-url", "https://m.example.com"])
    assert (args.http_listen, args.public_url) == ("127.0.0.1:9000", "https://m.example.com")


def test_serve_flags_from_the_environment(monkeypatch):
    monkeypatch.setenv("CHATSVC_HTTP_LISTEN", "127.0.0.1:8080")
    monkeypatch.setenv("CHATSVC_PUBLIC_URL", "https://chat.example.com")
    args = _parser().parse_args(["serve"])
    assert (args.http_listen, args.public_url) == ("127.0.0.1:8080", "https://chat.example.com")


async def test_a_server_without_the_media_endpoint(database_url):
    async with serving(database_url, http_listen="off") as server:
        assert server.running.media is None and server.running.media_port is None
        alice = user(server, "alice@example.com")
        space = await new_space(server, alice)
        token = (await server.chat.UploadAttachment(attachment_pb2.UploadAttachmentRequest(
            parent=space.name, filename="a.txt"), metadata=alice)).attachment_data_ref.attachment_upload_token
        message = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=with_tokens(token)), metadata=alice)
        assert message.attachment[0].content_name == "a.txt" and message.attachment[0].download_uri == ""


async def test_the_public_media_url(database_url):
    """Behind a proxy, the URIs handed out name the proxy's address."""
    async with serving(database_url, public_url="https://media.example.com/") as server:
        alice = user(server, "alice@example.com")
        space = await new_space(server, alice)
        assert server.media_url == "https://media.example.com"
        local = f"http://127.0.0.1:{server.running.media_port}"
        status, _, body = await http("POST", f"{local}/upload/v1/{space.name}/attachments:upload?filename=a.png",
                                     headers={**bearer(alice), "Content-Type": "image/png"}, data=b"x")
        assert status == 200, body
        token = json.loads(body)["attachmentDataRef"]["attachmentUploadToken"]
        message = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space.name, message=with_tokens(token)), metadata=alice)
        [attachment] = message.attachment
        assert attachment.download_uri == f"https://media.example.com/v1/media/{attachment.name}?alt=media"
        assert attachment.thumbnail_uri == attachment.download_uri
