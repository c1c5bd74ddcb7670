"""ListReactions' filter: every query Google lists as valid, with what it selects, and every query it lists
as invalid, refused with INVALID_ARGUMENT naming `filter`."""
import grpc
import pytest

from tests.api import test_messages
from tests.api.test_messages import post
from tests.api.test_reactions import add_custom_emoji, list_reactions, react
from tests.helpers import failure, field_of, user

room = test_messages.room


@pytest.fixture
async def reacted(server, room):
    """A message with reactions: alice 🙂 and 👍, bob 🙂 and a custom emoji, carol 👍.
    Returns (message, alice's metadata, {label: reaction name}, user names, the custom emoji's uid)."""
    space, alice, bob, bob_name = room
    carol = user(server, "carol@example.com")
    carol_name = (await test_messages.add_member(server, alice, space, "users/carol@example.com")).member.name
    message = await post(server, alice, space, "react")
    parrot = await add_custom_emoji(server)
    made = {
        "alice 🙂": await react(server, alice, message.name, "🙂"),
        "alice 👍": await react(server, alice, message.name, "👍"),
        "bob 🙂": await react(server, bob, message.name, "🙂"),
        "bob parrot": await react(server, bob, message.name, uid=parrot.uid),
        "carol 👍": await react(server, carol, message.name, "👍"),
    }
    names = {"alice": made["alice 🙂"].user.name, "bob": bob_name, "carol": carol_name}
    return message, alice, {label: r.name for label, r in made.items()}, names, parrot.uid


async def test_the_documented_valid_queries(server, reacted):
    message, alice, made, users, uid = reacted
    bob, carol = users["bob"], users["carol"]
    cases = {
        f'user.name = "{bob}"': ["bob 🙂", "bob parrot"],
        'emoji.unicode = "🙂"': ["alice 🙂", "bob 🙂"],
        f'emoji.custom_emoji.uid = "{uid}"': ["bob parrot"],
        'emoji.unicode = "🙂" OR emoji.unicode = "👍"': ["alice 🙂", "alice 👍", "bob 🙂", "carol 👍"],
        f'emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "{uid}"': ["alice 🙂", "bob 🙂", "bob parrot"],
        f'emoji.unicode = "🙂" AND user.name = "{bob}"': ["bob 🙂"],
        f'(emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "{uid}")\nAND user.name = "{bob}"':
            ["bob 🙂", "bob parrot"],
        # The same rules, combined in the other ways they allow.
        f'user.name = "{bob}" OR user.name = "{carol}"': ["bob 🙂", "bob parrot", "carol 👍"],
        f'(user.name = "{bob}" OR user.name = "{carol}") AND emoji.unicode = "👍"': ["carol 👍"],
        f'(emoji.unicode = "👍" OR emoji.unicode = "🙂") AND (user.name = "{carol}" OR user.name = "users/me")':
            ["alice 🙂", "alice 👍", "carol 👍"],
        'user.name = "users/carol@example.com"': ["carol 👍"],
        'user.name = "users/nobody@example.com"': [],
        'user.name = "users/123"': [],
        'emoji.unicode = "🚲"': [],
        "emoji.unicode = 🙂": ["alice 🙂", "bob 🙂"],
        "": ["alice 🙂", "alice 👍", "bob 🙂", "bob parrot", "carol 👍"],
    }
    for query, expected in cases.items():
        listed = await list_reactions(server, alice, message.name, filter=query)
        assert [r.name for r in listed.reactions] == [made[label] for label in expected], query


async def test_the_documented_invalid_queries(server, reacted):
    message, alice, _, users, uid = reacted
    bob = users["bob"]
    for query in (
        # Google's list of invalid queries.
        'emoji.unicode = "🙂" AND emoji.unicode = "👍"',
        f'emoji.unicode = "🙂" AND emoji.custom_emoji.uid = "{uid}"',
        f'emoji.unicode = "🙂" OR user.name = "{bob}"',
        f'emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "{uid}" OR user.name = "{bob}"',
        f'emoji.unicode = "🙂" OR emoji.custom_emoji.uid = "{uid}" AND user.name = "{bob}"',
        # And what the grammar has no room for.
        f'user.name = "{bob}" AND user.name = "users/me"',
        f'(emoji.unicode = "🙂" AND user.name = "{bob}") OR emoji.unicode = "👍"',
        'emoji.unicode != "🙂"',
        'NOT emoji.unicode = "🙂"',
        'emoji = "🙂"',
        'user.name = "bob"',
        'user.name = ""',
        'emoji.unicode = "🙂" AND',
        'emoji.unicode("🙂")',
    ):
        details = await failure(list_reactions(server, alice, message.name, filter=query),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["filter"], query
        assert details["ErrorInfo"].reason == "INVALID_FILTER", query
