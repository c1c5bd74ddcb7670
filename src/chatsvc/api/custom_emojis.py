"""google.chat.v1 custom emoji RPCs: proto <-> domain."""
from __future__ import annotations

from google.chat.v1 import reaction_pb2
from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.media_urls import MediaUrls
from chatsvc.domain import custom_emojis
from chatsvc.domain.models import CustomEmoji
from chatsvc.domain.principal import current_principal


def custom_emoji_proto(emoji: CustomEmoji, urls: MediaUrls | None = None) -> reaction_pb2.CustomEmoji:
    """Without `urls`, no temporary_image_uri (Google leaves it out of CreateCustomEmoji's response)."""
    return reaction_pb2.CustomEmoji(name=names.custom_emoji_name(emoji.id), uid=emoji.uid,
                                    emoji_name=emoji.emoji_name,
                                    temporary_image_uri=urls.emoji_image(emoji.id) if urls else "")


class CustomEmojisApi:
    """Mixed into the ChatService servicer; `self.custom_emojis`, `self.media` and `self.pager` come from it."""

    async def CreateCustomEmoji(self, request, context):
        emoji = request.custom_emoji
        created = await self.custom_emojis.create(current_principal(), emoji.emoji_name, emoji.payload.filename,
                                                  emoji.payload.file_content)
        return custom_emoji_proto(created)

    async def GetCustomEmoji(self, request, context):
        emoji = await self.custom_emojis.get(current_principal(), names.custom_emoji(request.name))
        return custom_emoji_proto(emoji, self.media)

    async def ListCustomEmojis(self, request, context):
        principal = current_principal()
        mine = custom_emojis.parse_filter(request.filter)
        size = page_size(request.page_size, default=25, maximum=200)
        after = self.pager.position(request.page_token, "ListCustomEmojis", principal, request.filter)
        page = await self.custom_emojis.list(principal, after=after, limit=size, mine=mine)
        return reaction_pb2.ListCustomEmojisResponse(
            custom_emojis=[custom_emoji_proto(e, self.media) for e in page.items],
            next_page_token=self.pager.token(page.next_position, "ListCustomEmojis", principal, request.filter))

    async def DeleteCustomEmoji(self, request, context):
        await self.custom_emojis.delete(current_principal(), names.custom_emoji(request.name))
        return empty_pb2.Empty()
