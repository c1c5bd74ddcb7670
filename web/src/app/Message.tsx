// One message: who, when, the text with its markup, the app's cards, reactions, and what the reader can do with
// it (reply in its thread, react, and for their own messages edit and delete).
import { useState } from "preact/hooks";
import { api, query } from "../api";
import { Attachments } from "./Attachments";
import { MessageCards } from "./cards";
import { Markup } from "./markup";
import type { Message } from "./model";
import { clockTime } from "./model";
import { nameOf } from "./people";

export const EMOJI = ["👍", "❤️", "😂", "🎉", "👀", "🙏"];

interface Props {
  message: Message;
  me: string;
  /** The message changed on the server: read it again. */
  onMessage: (name: string) => void;
  onDeleted: (name: string) => void;
  /** Shown in the main view: opens the thread (with its reply count). */
  onThread?: () => void;
  replies?: number;
  /** Someone else's message: mark the conversation unread from it on. */
  onMarkUnread?: () => Promise<void>;
  pinned?: boolean;
  onPin?: () => Promise<void>;
}

/** Adds the caller's reaction, or removes it when they already reacted with that emoji. */
async function toggleReaction(message: string, emoji: string): Promise<void> {
  const filter = `emoji.unicode = "${emoji}" AND user.name = "users/me"`;
  const mine: any = await api("GET", `/v1/${message}/reactions` + query({ filter }));
  if (mine.reactions?.length) await api("DELETE", `/v1/${mine.reactions[0].name}`);
  else await api("POST", `/v1/${message}/reactions`, { emoji: { unicode: emoji } });
}

function Editor({ message, onDone }: { message: Message; onDone: (saved: boolean) => void }) {
  const [text, setText] = useState(message.text || "");
  const [problem, setProblem] = useState("");
  async function save() {
    try {
      await api("PATCH", `/v1/${message.name}?updateMask=text`, { text });
      onDone(true);
    } catch (error: any) {
      setProblem(error.message);
    }
  }
  return (
    <form class="editor" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <textarea aria-label="Edit message" value={text} autoFocus
                onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); save(); }
                  if (e.key === "Escape") onDone(false);
                }} />
      {problem && <p class="problem" role="alert">{problem}</p>}
      <div class="buttons">
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
        <button type="submit" class="primary" disabled={!text.trim()}>Save</button>
      </div>
    </form>
  );
}

export function MessageItem(props: Props) {
  const { message, me, onMessage, onDeleted, onThread, replies, onMarkUnread, pinned, onPin } = props;
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState("");
  const mine = message.sender?.name === me;
  const edited = message.lastUpdateTime && message.lastUpdateTime !== message.createTime;

  async function act(action: () => Promise<unknown>, after: () => void) {
    setProblem("");
    try {
      await action();
      after();
    } catch (error: any) {
      setProblem(error.message);
    }
  }
  const react = (emoji: string) => act(() => toggleReaction(message.name, emoji), () => {
    setPicking(false);
    onMessage(message.name);
  });

  return (
    <li class={mine ? "message mine" : "message"} data-name={message.name}>
      <div class="meta">
        <span class="sender">{mine ? "You" : nameOf(message.sender)}</span>
        {message.sender?.type === "BOT" && <span class="badge-app">App</span>}
        <time dateTime={message.createTime}>{clockTime(message.createTime)}</time>
        {edited && <span class="edited">(edited)</span>}
        {message.privateMessageViewer && <span class="private">Only visible to you</span>}
        {pinned && <span class="pinned">Pinned</span>}
      </div>
      {editing ? <Editor message={message} onDone={(saved) => { setEditing(false); if (saved) onMessage(message.name); }} />
        : message.text && <div class="text"><Markup text={message.text} annotations={message.annotations} me={me} /></div>}
      {message.attachment?.length ? <Attachments attachments={message.attachment} /> : null}
      {message.cardsV2?.length || message.accessoryWidgets?.length
        ? <MessageCards message={message} onMessage={onMessage} /> : null}
      {message.emojiReactionSummaries?.length ? (
        <ul class="reactions" aria-label="Reactions">
          {message.emojiReactionSummaries.map((r) => {
            const emoji = r.emoji?.unicode || "?";
            return <li key={emoji}>
              <button type="button" class="reaction" aria-label={`${emoji} ${r.reactionCount || 0}, react or undo`}
                      onClick={() => react(emoji)}>{emoji} {r.reactionCount || 0}</button>
            </li>;
          })}
        </ul>
      ) : null}
      {!editing && (
        <div class="actions">
          {onThread && (
            <button type="button" class="link" onClick={onThread}>
              {replies ? `${replies} ${replies === 1 ? "reply" : "replies"}` : "Reply in thread"}
            </button>
          )}
          <button type="button" class="link" aria-expanded={picking} onClick={() => setPicking(!picking)}>React</button>
          {onPin && (
            <button type="button" class="link" onClick={() => act(onPin, () => undefined)}>{pinned ? "Unpin" : "Pin"}</button>
          )}
          {onMarkUnread && (
            <button type="button" class="link" onClick={() => act(onMarkUnread, () => undefined)}>Mark unread</button>
          )}
          {mine && !message.cardsV2?.length && (
            <button type="button" class="link" onClick={() => setEditing(true)}>Edit</button>
          )}
          {mine && !confirming && (
            <button type="button" class="link" onClick={() => setConfirming(true)}>Delete</button>
          )}
          {mine && confirming && (
            <span class="confirm" role="group" aria-label="Delete this message for everyone?">
              <span>Delete for everyone?</span>
              <button type="button" class="link danger" autoFocus
                      onClick={() => act(() => api("DELETE", `/v1/${message.name}`), () => onDeleted(message.name))}>
                Yes, delete
              </button>
              <button type="button" class="link" onClick={() => setConfirming(false)}>Keep</button>
            </span>
          )}
        </div>
      )}
      {picking && (
        <div class="emoji-picker" role="group" aria-label="Pick a reaction">
          {EMOJI.map((emoji) => (
            <button type="button" key={emoji} aria-label={`React with ${emoji}`} onClick={() => react(emoji)}>{emoji}</button>
          ))}
        </div>
      )}
      {problem && <p class="problem" role="alert">{problem}</p>}
    </li>
  );
}
