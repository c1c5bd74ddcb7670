// The open space: its messages oldest to newest, kept current by the live events the chat routes here, and the
// composer. New messages from others are announced politely to screen readers.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, listAll, query, uploadAttachment } from "../api";
import { Composer } from "./Composer";
import { MessageItem } from "./Message";
import { PinnedMessages } from "./Pins";
import type { SectionInfo } from "./sections";
import type { LiveEvent, Message, Space, User } from "./model";
import { byCreateTime, isDm } from "./model";
import { learnFromMessage, nameOf } from "./people";

const PAGE = 50;

export type Subscribe = (space: string, handler: (event: LiveEvent) => void) => () => void;

interface Props {
  space: Space;
  title: string;
  me: string;
  subscribe: Subscribe;
  onRead: (space: string, newest: string) => void;
  onMembers: () => void;
  /** Changes each time the user chooses this conversation: its composer takes the focus. */
  chosen: number;
  muted: boolean;
  onMute: (mute: boolean) => Promise<void>;
  onMarkUnread: (message: Message) => Promise<void>;
  /** The sections this conversation may be in, the one it is in, and moving it. */
  sections: SectionInfo[];
  section?: string;
  onMove: (section: string) => Promise<void>;
}

export function Conversation(props: Props) {
  const { space, title, me, subscribe, onRead, onMembers, chosen, muted, onMute, onMarkUnread } = props;
  const { sections, section, onMove } = props;
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [problem, setProblem] = useState("");
  const [announcement, setAnnouncement] = useState("");
  const [thread, setThread] = useState<string | null>(null);
  const [pins, setPins] = useState<Map<string, string>>(new Map());  // message -> its pin
  const [showPins, setShowPins] = useState(false);
  const [olderPage, setOlderPage] = useState<string | undefined>(undefined);  // the page before the first read
  const [membersChanged, setMembersChanged] = useState(0);  // membership events seen: who can be mentioned changed
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  function upsert(message: Message) {
    learnFromMessage(message);
    setMessages((current) => {
      const rest = (current || []).filter((m) => m.name !== message.name);
      return [...rest, message].sort(byCreateTime);
    });
  }

  function remove(name: string) {
    setMessages((current) => (current || []).filter((m) => m.name !== name));
  }

  async function loadTail(first = false) {
    try {
      const page: any = await api("GET", `/v1/${space.name}/messages` +
                                  query({ orderBy: "create_time desc", pageSize: PAGE }));
      const tail: Message[] = (page.messages || []).reverse();
      tail.forEach(learnFromMessage);
      if (first) setOlderPage(page.nextPageToken);
      setMessages((current) => {
        // Keep what the tail does not reach (older pages), replace the rest.
        const names = new Set(tail.map((m) => m.name));
        const oldest = tail[0];
        const older = (current || []).filter((m) => !names.has(m.name) && oldest && byCreateTime(m, oldest) < 0);
        return [...older, ...tail];
      });
      setProblem("");
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  async function refetch(name: string) {
    try {
      upsert(await api<Message>("GET", `/v1/${name}`));
    } catch (error: any) {
      if (error.status === 404) remove(name);  // deleted since, or no longer ours to see
    }
  }

  useEffect(() => {
    setMessages(null);
    setThread(null);
    atBottom.current = true;
    loadTail(true);
    return subscribe(space.name, (event) => {
      const type = event.eventType || "";
      const resource = event.resourceName || "";
      const isMessage = /^spaces\/[^/]+\/messages\/[^/]+$/.test(resource);
      if (type.includes(".membership.v1.")) setMembersChanged((n) => n + 1);
      if (type.endsWith("message.v1.deleted") && isMessage) {
        remove(resource);
      } else if (type.includes(".message.v1.") && isMessage) {
        refetch(resource).then(() => {
          if (type.endsWith("message.v1.created")) {
            const sender = event.spaceEvent?.messageCreatedEventData?.message?.sender;
            const reply = event.spaceEvent?.messageCreatedEventData?.message?.threadReply;
            // A repeated text is not read again by screen readers: vary it invisibly.
            const text = `New ${reply ? "reply" : "message"} from ${nameOf(sender)}`;
            if (sender?.name !== me) setAnnouncement((last) => (last === text ? text + "\u00a0" : text));
          }
        });
      } else if (type.includes(".reaction.v1.") && resource.includes("/reactions/")) {
        refetch(resource.split("/reactions/")[0]);  // its message's reaction summary changed
      } else if (type.includes(".message.v1.") || type.includes(".reaction.v1.") || !type.startsWith("google.")) {
        loadTail();  // a batch event, or the chat's own "read again": the tail again
      }
    });
  }, [space.name]);

  // Mark the conversation read up to its newest message whenever that changes.
  const newest = messages?.length ? messages[messages.length - 1].createTime : undefined;
  useEffect(() => {
    if (newest) onRead(space.name, newest);
  }, [space.name, newest]);

  useLayoutEffect(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages]);

  /** The message body: the text, and the files uploaded to the space first. */
  async function body(text: string, files: File[]): Promise<object> {
    const refs = await Promise.all(files.map((file) => uploadAttachment(space.name, file)));
    return refs.length ? { text, attachment: refs.map((ref) => ({ attachmentDataRef: ref })) } : { text };
  }

  async function send(text: string, files: File[]) {
    upsert(await api<Message>("POST", `/v1/${space.name}/messages`, await body(text, files)));
    atBottom.current = true;
  }

  // Who can be mentioned: the members (read once the conversation opens), and everyone at once.
  // Apps are members too: a picked app is mentioned like a person (that is how a user calls an app in a space).
  const members = useRef<User[]>([]);
  const [, setMembersRead] = useState(0);
  useEffect(() => {
    listAll<any>(`/v1/${space.name}/members`, "memberships").then((list) => {
      members.current = list.map((m) => m.member).filter((u) => u?.name && u.name !== me);
      members.current.forEach((u) => nameOf(u));  // their names asked for before anyone types "@"
      setMembersRead((n) => n + 1);  // an open @-list follows
    }, () => undefined);
  }, [space.name, membersChanged]);
  const candidates = () => [
    ...members.current.map((u) => ({ user: u.name!, label: nameOf(u) })),
    ...(isDm(space) ? [] : [{ user: "users/all", label: "all" }]),
  ];

  async function loadOlder() {
    try {
      const page: any = await api("GET", `/v1/${space.name}/messages` +
                                  query({ orderBy: "create_time desc", pageSize: PAGE, pageToken: olderPage }));
      atBottom.current = false;
      const older: Message[] = page.messages || [];
      older.forEach(learnFromMessage);
      setMessages((current) => [...older.filter((m) => !current?.some((c) => c.name === m.name)), ...(current || [])]
        .sort(byCreateTime));
      setOlderPage(page.nextPageToken);
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  async function loadPins() {
    try {
      const list = await listAll<any>(`/v1/${space.name}/messagePins`, "messagePins");
      setPins(new Map(list.map((pin) => [pin.message, pin.name])));
    } catch {
      /* pins cannot be read: none shown */
    }
  }
  useEffect(() => {
    setPins(new Map());
    setShowPins(false);
    loadPins();
  }, [space.name]);

  async function togglePin(message: string) {
    const pin = pins.get(message);
    if (pin) await api("DELETE", `/v1/${pin}`);
    else await api("POST", `/v1/${space.name}/messagePins`, { message });
    await loadPins();
  }

  async function openThread(name: string) {
    setShowPins(false);
    setThread(name);
    try {  // the whole thread, older replies than the tail included
      const replies = await listAll<Message>(`/v1/${space.name}/messages`, "messages",
                                             { filter: `thread.name = ${name}`, orderBy: "create_time asc" });
      replies.forEach(upsert);
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  async function reply(text: string, files: File[]) {
    upsert(await api<Message>("POST", `/v1/${space.name}/messages` +
                              query({ messageReplyOption: "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" }),
                              { ...(await body(text, files)), thread: { name: thread } }));
  }

  // The main view shows each thread's first message; replies are counted there and read in the thread view.
  const replies = new Map<string, number>();
  for (const m of messages || []) {
    if (m.threadReply && m.thread?.name) replies.set(m.thread.name, (replies.get(m.thread.name) || 0) + 1);
  }
  const item = (m: Message, inThread: boolean) => (
    <MessageItem key={m.name} message={m} me={me} onMessage={refetch} onDeleted={remove}
                 pinned={pins.has(m.name)} onPin={() => togglePin(m.name)}
                 onMarkUnread={m.sender?.name === me ? undefined : () => onMarkUnread(m)}
                 onThread={inThread || !m.thread?.name ? undefined : () => openThread(m.thread!.name!)}
                 replies={m.thread?.name ? replies.get(m.thread.name) : 0} />
  );

  return (
    <section class={thread || showPins ? "conversation with-thread" : "conversation"}
             aria-labelledby="conversation-title">
      <div class="conversation-main">
        <header class="conversation-header">
          <h2 id="conversation-title">{title}</h2>
          {sections.length > 1 && (
            <select aria-label="Section" value={section}
                    onChange={(e) => onMove((e.target as HTMLSelectElement).value)
                      .catch((error) => setProblem(error.message))}>
              {sections.map((s) => <option key={s.name} value={s.name}>{s.title}</option>)}
            </select>
          )}
          <button type="button" aria-pressed={muted}
                  onClick={() => onMute(!muted).catch((error) => setProblem(error.message))}>
            {muted ? "Unmute" : "Mute"}
          </button>
          {pins.size > 0 && (
            <button type="button" aria-pressed={showPins}
                    onClick={() => { setThread(null); setShowPins(!showPins); }}>Pinned ({pins.size})</button>
          )}
          <button type="button" onClick={onMembers}>Members</button>
        </header>
        {problem && <p class="problem" role="alert">{problem}</p>}
        <ol ref={list} class="messages" aria-label={`Messages in ${title}`} tabIndex={0}
            onScroll={(e) => {
              const el = e.currentTarget;
              atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
            }}>
          {olderPage && messages !== null && (
            <li class="older"><button type="button" class="link" onClick={loadOlder}>Show older messages</button></li>
          )}
          {messages === null ? <li class="empty">Loading messages…</li>
            : messages.length === 0 ? <li class="empty">No messages yet. Say hello.</li>
            : messages.filter((m) => !m.threadReply).map((m) => item(m, false))}
        </ol>
        <div class="visually-hidden" aria-live="polite" role="status">{announcement}</div>
        <Composer label={`Message ${title}`} onSend={send} focus={chosen} candidates={candidates} />
      </div>
      {showPins && pins.size > 0 && !thread && (
        <PinnedMessages pinned={[...pins.keys()]} loaded={messages || []} render={(m) => item(m, true)}
                        onClose={() => setShowPins(false)} />
      )}
      {thread && (
        <aside class="thread" aria-labelledby="thread-title"
               onKeyDown={(e) => { if (e.key === "Escape") setThread(null); }}>
          <header class="conversation-header">
            <h2 id="thread-title">Thread</h2>
            <button type="button" aria-label="Close thread" onClick={() => setThread(null)}>×</button>
          </header>
          <ol class="messages" aria-label="Messages in the thread">
            {(messages || []).filter((m) => m.thread?.name === thread).map((m) => item(m, true))}
          </ol>
          <Composer key={thread} label="Reply in thread" onSend={reply} focus candidates={candidates} />
        </aside>
      )}
    </section>
  );
}
