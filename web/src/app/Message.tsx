// One message in the conversation: who, when, the text with its markup, the app's cards.
import { Markup } from "./markup";
import type { Message } from "./model";
import { clockTime } from "./model";
import { nameOf } from "./people";
import { MessageCards } from "./cards";

interface Props { message: Message; me: string; onMessage: (name: string) => void }

export function MessageItem({ message, me, onMessage }: Props) {
  const mine = message.sender?.name === me;
  const edited = message.lastUpdateTime && message.lastUpdateTime !== message.createTime;
  return (
    <li class={mine ? "message mine" : "message"} data-name={message.name}>
      <div class="meta">
        <span class="sender">{mine ? "You" : nameOf(message.sender)}</span>
        {message.sender?.type === "BOT" && <span class="badge-app">App</span>}
        <time dateTime={message.createTime}>{clockTime(message.createTime)}</time>
        {edited && <span class="edited">(edited)</span>}
        {message.privateMessageViewer && <span class="private">Only visible to you</span>}
      </div>
      {message.text && <div class="text"><Markup text={message.text} annotations={message.annotations} me={me} /></div>}
      {message.cardsV2?.length || message.accessoryWidgets?.length
        ? <MessageCards message={message} onMessage={onMessage} /> : null}
      {message.emojiReactionSummaries?.length ? (
        <ul class="reactions" aria-label="Reactions">
          {message.emojiReactionSummaries.map((r, i) => (
            <li key={i}>{r.emoji?.unicode || "?"} {r.reactionCount || 0}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
