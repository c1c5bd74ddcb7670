"""GET /chat/config_complete/T: where an app sends its user back after a REQUEST_CONFIG flow (the event's
`configCompleteRedirectUrl`, chatsvc.events.config_links); chatsvc.domain.app_config does the rest. The answer is
a short plain-text page for the user's browser."""
from __future__ import annotations

from aiohttp import web

from chatsvc.domain.app_config import ConfigCompletion
from chatsvc.events.config_links import PATH, ConfigLinks


def config_complete_routes(links: ConfigLinks, completion: ConfigCompletion) -> list[web.RouteDef]:
    async def complete(request: web.Request) -> web.Response:
        config = links.read(request.match_info["token"])
        if config is None:
            return web.Response(status=404, text="This configuration link is not valid.\n")
        if await completion.complete(config):
            return web.Response(text="Configuration complete: your message was sent to the app again. You can go "
                                     "back to the chat.\n")
        return web.Response(text="This configuration link was used already.\n")

    return [web.get(PATH + "/{token}", complete)]
