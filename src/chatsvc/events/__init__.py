"""Events chatsvc sends to Chat apps, as Google Chat sends them (issue 17). So far: the identity requests to apps are
signed with (chatsvc.events.identity)."""
