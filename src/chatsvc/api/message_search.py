"""google.chat.v1 SearchMessages: parse the request, call the domain, return protos."""
from __future__ import annotations

from google.chat.v1 import markup_syntax_pb2, message_pb2, space_notification_setting_pb2

from chatsvc.aip.pagination import page_size
from chatsvc.api.message_protos import message_proto
from chatsvc.domain import message_search_query
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.message_markdown import to_markdown
from chatsvc.domain.message_search import SearchHit
from chatsvc.domain.principal import current_principal

ALL_SPACES = "spaces/-"
_View = message_pb2.SearchMessagesRequest.SearchMessagesView
_Mute = space_notification_setting_pb2.SpaceNotificationSetting.MuteSetting


def _result(hit: SearchHit, markdown: bool) -> message_pb2.SearchMessageResult:
    message = message_proto(hit.message)
    if markdown and message.formatted_text:
        message.formatted_text = to_markdown(message.formatted_text)
    result = message_pb2.SearchMessageResult(message=message)
    if hit.read is not None:
        result.read = bool(hit.read)
    if hit.muted is not None:
        result.space_mute_setting = _Mute.MUTED if hit.muted else _Mute.UNMUTED
    return result


class MessageSearchApi:
    """Mixed into the ChatService servicer; `self.message_search` and `self.pager` come from it."""

    async def SearchMessages(self, request, context):
        principal = current_principal()
        if request.parent != ALL_SPACES:
            raise InvalidArgument.field("parent", f"must be `{ALL_SPACES}` (search every space you can read; "
                                                  "narrow the search with `space.name` in `filter`)")
        query = message_search_query.parse(request.filter)
        by_relevance = message_search_query.by_relevance(request.order_by)
        if request.markup_syntax not in markup_syntax_pb2.MarkupSyntax.values():
            raise InvalidArgument.field("markup_syntax", "is not a known markup syntax")
        if request.view not in _View.values():
            raise InvalidArgument.field("view", "is not a known search view")
        size = page_size(request.page_size, default=25, maximum=100)
        params = (request.parent, request.filter, request.order_by, request.markup_syntax, request.view)
        after = self.pager.position(request.page_token, "SearchMessages", principal, *params)
        page = await self.message_search.search(
            principal, query, by_relevance=by_relevance, full_view=request.view == _View.SEARCH_MESSAGES_VIEW_FULL,
            after=after, limit=size)
        markdown = request.markup_syntax == markup_syntax_pb2.MARKUP_SYNTAX_MARKDOWN
        return message_pb2.SearchMessagesResponse(
            results=[_result(hit, markdown) for hit in page.items],
            next_page_token=self.pager.token(page.next_position, "SearchMessages", principal, *params))
