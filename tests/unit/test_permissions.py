from chatsvc.domain.models import Membership, MembershipRole, MembershipState, Space, SpaceType
from chatsvc.domain.permissions import Permission, Preset, allowed, preset


def member(role, state=MembershipState.JOINED):
    return Membership(space_id="S", member_id="U", role=role, state=state)


def test_collaboration_spaces_let_members_do_everything():
    space = Space(id="S", space_type=SpaceType.SPACE, permissions=preset(Preset.COLLABORATION_SPACE))
    assert all(allowed(space, member(MembershipRole.MEMBER), p) for p in Permission)


def test_announcement_spaces_keep_posting_to_managers_but_let_members_reply():
    space = Space(id="S", space_type=SpaceType.SPACE, permissions=preset(Preset.ANNOUNCEMENT_SPACE))
    assert not allowed(space, member(MembershipRole.MEMBER), Permission.POST_MESSAGES)
    assert allowed(space, member(MembershipRole.MANAGER), Permission.POST_MESSAGES)
    assert allowed(space, member(MembershipRole.MEMBER), Permission.REPLY_MESSAGES)
    assert not allowed(space, member(MembershipRole.MEMBER), Permission.MANAGE_MEMBERS_AND_GROUPS)


def test_invited_or_absent_members_may_do_nothing_and_group_chats_have_no_settings():
    space = Space(id="S", space_type=SpaceType.GROUP_CHAT, permissions=preset(Preset.ANNOUNCEMENT_SPACE))
    assert allowed(space, member(MembershipRole.MEMBER), Permission.POST_MESSAGES)
    assert not allowed(space, member(MembershipRole.MEMBER, MembershipState.INVITED), Permission.POST_MESSAGES)
    assert not allowed(space, None, Permission.POST_MESSAGES)
