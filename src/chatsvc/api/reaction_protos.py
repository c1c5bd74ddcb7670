"""google.chat.v1 Reaction and Emoji <-> the domain's."""
from __future__ import annotations

from google.chat.v1 import reaction_pb2

from chatsvc.aip import names
from chatsvc.api.convert import user
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import Emoji, Reaction, ReactionSummary


def emoji_proto(emoji: Emoji) -> reaction_pb2.Emoji:
    if not emoji.custom_uid:
        return reaction_pb2.Emoji(unicode=emoji.unicode)
    custom = reaction_pb2.CustomEmoji(uid=emoji.custom_uid, emoji_name=emoji.custom_name)
    if emoji.custom_id:
        custom.name = f"customEmojis/{emoji.custom_id}"
    return reaction_pb2.Emoji(custom_emoji=custom)


def reaction_proto(reaction: Reaction) -> reaction_pb2.Reaction:
    return reaction_pb2.Reaction(name=names.reaction_name(reaction.space_id, reaction.message_id, reaction.id),
                                 user=user(reaction.user), emoji=emoji_proto(reaction.emoji))


def summary_proto(summary: ReactionSummary) -> reaction_pb2.EmojiReactionSummary:
    return reaction_pb2.EmojiReactionSummary(emoji=emoji_proto(summary.emoji), reaction_count=summary.count)


def emoji_of(reaction: reaction_pb2.Reaction) -> Emoji:
    """The emoji a new reaction asks for: unicode text, or a custom emoji by uid. The reaction's name and
    user are the server's to set, so they are ignored."""
    which = reaction.emoji.WhichOneof("content")
    if which == "unicode" and reaction.emoji.unicode:
        return Emoji(unicode=reaction.emoji.unicode)
    if which == "custom_emoji":
        if not reaction.emoji.custom_emoji.uid:
            raise InvalidArgument.field("reaction.emoji.custom_emoji.uid", "is required to react with a custom "
                                                                           "emoji")
        return Emoji(custom_uid=reaction.emoji.custom_emoji.uid)
    raise InvalidArgument.field("reaction.emoji", "is required: a unicode emoji (`unicode`) or a custom emoji "
                                                  "(`custom_emoji.uid`)")
