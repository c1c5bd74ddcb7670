// The space's pinned messages (ListMessagePins), each read from the conversation when it is loaded there, or
// fetched on its own (an old message beyond the pages read).
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { Message } from "./model";
import { byCreateTime } from "./model";

interface Props {
  pinned: string[];
  loaded: Message[];
  render: (message: Message) => ComponentChildren;
  onClose: () => void;
}

export function PinnedMessages({ pinned, loaded, render, onClose }: Props) {
  const [fetched, setFetched] = useState<Record<string, Message>>({});
  useEffect(() => {
    const missing = pinned.filter((name) => !loaded.some((m) => m.name === name) && !fetched[name]);
    for (const name of missing) {
      api<Message>("GET", `/v1/${name}`).then((m) => setFetched((f) => ({ ...f, [name]: m })), () => undefined);
    }
  }, [pinned.join(",")]);
  const messages = pinned.map((name) => loaded.find((m) => m.name === name) || fetched[name])
    .filter(Boolean) as Message[];
  return (
    <aside class="thread pins" aria-labelledby="pins-title" onKeyDown={(e) => { if (e.key === "Escape") onClose(); }}>
      <header class="conversation-header">
        <h2 id="pins-title">Pinned messages</h2>
        <button type="button" aria-label="Close pinned messages" onClick={onClose}>×</button>
      </header>
      <ol class="messages" aria-label="Pinned messages">
        {pinned.length === 0 ? <li class="empty">Nothing is pinned here.</li>
          : messages.sort(byCreateTime).map(render)}
      </ol>
    </aside>
  );
}
