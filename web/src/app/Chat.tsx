// The signed-in screen: the sidebar of spaces and DMs, the open conversation, and the live updates that keep
// both current. Live events for the open space go to its conversation; for other spaces they bump the sidebar.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, listAll, query } from "../api";
import type { Session } from "../auth";
import { Availability } from "./Availability";
import { Conversation } from "./Conversation";
import { DirectMessageDialog, NewSectionDialog, NewSpaceDialog } from "./dialogs";
import { Members } from "./Members";
import type { LiveEvent, Message, Space, User } from "./model";
import { byActivity, isDm, spaceOf, timeKey } from "./model";
import { learn, localPart, nameOf, onPeopleChange, openPeople } from "./people";
import { SearchResults } from "./Search";
import { createSection, group, loadSections, moveToSection, type SectionInfo } from "./sections";
import { Sidebar } from "./Sidebar";
import { startUpdates, type UpdatesStatus } from "./updates";

type Handler = (event: LiveEvent) => void;

/** At most `limit` of the per-space reads at a time: a long space list is read without a burst of requests. */
function semaphore(limit: number) {
  let free = limit;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => new Promise<void>((resolve) => {
      if (free > 0) { free--; resolve(); } else waiting.push(resolve);
    }),
    release: () => {
      const next = waiting.shift();
      if (next) next(); else free++;
    },
  };
}
const gate = semaphore(4);
const UNREAD_CAP = 100;  // counted up to this many, shown as 99+
const RELOAD = "chatsvc.client.reload";  // not a server event: "read everything again"

export function Chat({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const me = session.userName;
  const [spaces, setSpaces] = useState<Space[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // Unread messages by space, as names: a message counted by the read-state query and again by its live event
  // is still one.
  const [unread, setUnread] = useState<Record<string, ReadonlySet<string>>>({});
  const [peers, setPeers] = useState<Record<string, User>>({});  // a DM's other member
  const [dialog, setDialog] = useState<"space" | "dm" | "section" | null>(null);
  const [members, setMembers] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [chosen, setChosen] = useState(0);
  const [search, setSearch] = useState<string | null>(null);
  const [muted, setMuted] = useState<Record<string, boolean>>({});
  const [sections, setSections] = useState<{ sections: SectionInfo[]; placed: Record<string, string> }>(
    { sections: [], placed: {} });  // the query whose results show
  const [typed, setTyped] = useState("");
  const [status, setStatus] = useState<UpdatesStatus>("connecting");
  const [problem, setProblem] = useState("");
  const [, setPeopleVersion] = useState(0);
  const handlers = useRef(new Map<string, Set<Handler>>());
  const known = useRef(new Set<string>());
  const selectedRef = useRef<string | null>(null);
  const marked = useRef(new Map<string, string>());
  const started = useRef(new Map<string, Space>());  // spaces made here that the list may not show yet
  selectedRef.current = selected;

  useState(() => openPeople(me));  // once, before the first render names anyone
  useEffect(() => onPeopleChange(() => setPeopleVersion((v) => v + 1)), []);
  learn(me, { email: session.email, displayName: localPart(session.email) });

  async function readMute(space: string): Promise<void> {
    await gate.acquire();
    try {
      const setting: any = await api("GET", `/v1/users/me/${space}/spaceNotificationSetting`);
      setMuted((current) => ({ ...current, [space]: setting.muteSetting === "MUTED" }));
    } catch {
      /* no setting to be had: shown unmuted */
    } finally {
      gate.release();
    }
  }

  async function countUnread(space: string): Promise<void> {
    await gate.acquire();
    try {
      const state: any = await api("GET", `/v1/users/me/${space}/spaceReadState`);
      const filter = state.lastReadTime ? `create_time > "${state.lastReadTime}"` : undefined;
      const page: any = await api("GET", `/v1/${space}/messages` + query({ filter, pageSize: UNREAD_CAP }));
      const names = (page.messages || []).filter((m: Message) => m.sender?.name !== me).map((m: Message) => m.name);
      if (selectedRef.current !== space) addUnread(space, names);
    } catch {
      /* no read state to be had: no badge */
    } finally {
      gate.release();
    }
  }

  async function findPeer(space: string): Promise<void> {
    await gate.acquire();
    try {
      const list = await listAll<any>(`/v1/${space}/members`, "memberships");
      const other = list.map((m) => m.member).find((u) => u?.name && u.name !== me);
      if (other?.name) setPeers((current) => ({ ...current, [space]: other }));
    } catch {
      /* the DM keeps a generic name */
    } finally {
      gate.release();
    }
  }

  async function reloadSections(): Promise<void> {
    try {
      setSections(await loadSections());
    } catch {
      /* no sections to be had: the default two */
    }
  }

  // A burst of events (a space's members added one by one) reads the list once more after the read under way,
  // not once per event.
  const loading = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  function loadSpaces(): Promise<void> {
    if (loading.current) {
      again.current = true;
      return loading.current;
    }
    loading.current = readSpaces().finally(() => {
      loading.current = null;
      if (again.current) {
        again.current = false;
        loadSpaces();
      }
    });
    return loading.current;
  }

  async function readSpaces(): Promise<void> {
    reloadSections();
    try {
      const listed = await listAll<Space>("/v1/spaces", "spaces");
      // A DM started here is not listed until it has a message (as Google's ListSpaces): keep it meanwhile.
      const names = new Set(listed.map((s) => s.name));
      names.forEach((name) => started.current.delete(name));
      const list = [...listed, ...started.current.values()].sort(byActivity);
      const fresh = list.filter((s) => !known.current.has(s.name));
      known.current = new Set(list.map((s) => s.name));
      setSpaces(list);
      setProblem("");
      if (selectedRef.current && !known.current.has(selectedRef.current)) setSelected(null);
      fresh.forEach((s) => {
        countUnread(s.name);
        readMute(s.name);
        if (isDm(s)) findPeer(s.name);
      });
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  function onEvent(event: LiveEvent): void {
    if (event.opened) return;
    const space = event.space || spaceOf(event.resourceName || "");
    if (!space) return;
    const type = event.eventType || "";
    if (!known.current.has(space) || type.includes(".membership.v1.") || type.includes(".space.v1.")) {
      loadSpaces();
    }
    if (type.endsWith(".message.v1.created") || type.endsWith(".message.v1.batchCreated")) {
      const when = event.eventTime;
      setSpaces((current) => current && current.map((s) => (s.name === space && timeKey(when) > timeKey(s.lastActiveTime)
        ? { ...s, lastActiveTime: when } : s)).sort(byActivity));
      const sender = event.spaceEvent?.messageCreatedEventData?.message?.sender?.name;
      if (space !== selectedRef.current && sender !== me) {
        addUnread(space, [event.resourceName || ""]);
      }
    }
    handlers.current.get(space)?.forEach((handler) => handler(event));
  }

  function addUnread(space: string, names: string[]): void {
    setUnread((current) => ({ ...current, [space]: new Set([...(current[space] || []), ...names]) }));
  }

  function subscribe(space: string, handler: Handler): () => void {
    const set = handlers.current.get(space) || new Set();
    set.add(handler);
    handlers.current.set(space, set);
    return () => set.delete(handler);
  }

  /** After a gap in the events: the space list and every open conversation read again. */
  function reload(): void {
    loadSpaces();
    handlers.current.forEach((set, space) => set.forEach((handler) => handler({ space, eventType: RELOAD })));
  }

  useEffect(() => {
    loadSpaces();
    return startUpdates({ onEvent, onStatus: setStatus, reload });
  }, []);

  /** Marks `space` unread from `message` on (its read time set just before it); the conversation is left. */
  async function markUnread(space: string, message: Message): Promise<void> {
    const micros = timeKey(message.createTime) - 1;
    const before = new Date(Math.floor(micros / 1000)).toISOString().replace(/\.\d+Z$/, "")
      + "." + String(micros % 1_000_000).padStart(6, "0") + "Z";
    await api("PATCH", `/v1/users/me/${space}/spaceReadState?updateMask=lastReadTime`, { lastReadTime: before });
    marked.current.delete(space);
    setSelected(null);
    setUnread((current) => ({ ...current, [space]: new Set() }));
    await countUnread(space);
  }

  async function setMute(space: string, mute: boolean): Promise<void> {
    await api("PATCH", `/v1/users/me/${space}/spaceNotificationSetting?updateMask=muteSetting`,
              { muteSetting: mute ? "MUTED" : "UNMUTED" });
    setMuted((current) => ({ ...current, [space]: mute }));
  }

  function onRead(space: string, newest: string): void {
    setUnread((current) => (current[space]?.size ? { ...current, [space]: new Set() } : current));
    if (marked.current.get(space) === newest) return;
    marked.current.set(space, newest);
    api("PATCH", `/v1/users/me/${space}/spaceReadState?updateMask=lastReadTime`, { lastReadTime: newest })
      .catch(() => marked.current.delete(space));
  }

  function open(space: string): void {
    setSelected(space);
    setSearch(null);
    setChosen((n) => n + 1);
    setMembers(false);
    setMenuOpen(false);
  }

  function created(space: Space): void {
    setDialog(null);
    known.current.add(space.name);
    started.current.set(space.name, space);
    setSpaces((current) => [space, ...(current || []).filter((s) => s.name !== space.name)]);
    if (isDm(space)) findPeer(space.name);
    open(space.name);
  }

  const titleOf = (space: Space) => space.displayName
    || (isDm(space) ? (peers[space.name] ? nameOf(peers[space.name]) : "Direct message") : "Group chat");
  const current = spaces?.find((s) => s.name === selected);
  const counts = Object.fromEntries(Object.entries(unread).map(([space, names]) => [space, names.size]));
  const total = Object.entries(counts).reduce((sum, [space, n]) => sum + (muted[space] ? 0 : n), 0);
  useEffect(() => {
    document.title = total ? `(${total}) chatsvc` : "chatsvc";
  }, [total]);

  return (
    <div class={menuOpen ? "layout menu-open" : "layout"}>
      <header class="topbar">
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="sidebar"
                onClick={() => setMenuOpen(!menuOpen)}>Spaces</button>
        <h1>chatsvc</h1>
        <form role="search" class="search" onSubmit={(e) => { e.preventDefault(); if (typed.trim()) setSearch(typed.trim()); }}>
          <input type="search" aria-label="Search messages" placeholder="Search messages" value={typed}
                 onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
        </form>
        <span class={`live live-${status}`} role="status" title="Live updates">
          {status === "live" ? "Live" : status === "offline" ? "Offline" : "Connecting…"}
        </span>
        <Availability />
        <span class="who">{session.email}</span>
        <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      <div id="sidebar" class="sidebar-wrap">
        <Sidebar sections={group(spaces || [], sections.sections, sections.placed)} selected={selected} unread={counts} muted={muted} titleOf={titleOf} onSelect={open}
                 onNewSpace={() => setDialog("space")} onMessagePerson={() => setDialog("dm")}
                 onNewSection={() => setDialog("section")} />
      </div>
      <main class="main" id="main">
        {problem && <p class="problem" role="alert">{problem}</p>}
        {search !== null ? (
          <SearchResults query={search} me={me} spaces={spaces || []} titleOf={titleOf} onOpen={open}
                         onClose={() => setSearch(null)} />
        ) : current ? (
          <Conversation key={current.name} space={current} title={titleOf(current)} me={me} subscribe={subscribe}
                        onRead={onRead} onMembers={() => setMembers(!members)} chosen={chosen}
                        muted={!!muted[current.name]} onMute={(mute) => setMute(current.name, mute)}
                        onMarkUnread={(message) => markUnread(current.name, message)}
                        sections={sections.sections.filter((s) => s.type !== "DEFAULT_APPS"
                          && (s.type === "CUSTOM_SECTION" || s.type === (isDm(current) || current.spaceType === "GROUP_CHAT"
                            ? "DEFAULT_DIRECT_MESSAGES" : "DEFAULT_SPACES")))}
                        section={sections.placed[current.name] || sections.sections.find((s) => s.type === (isDm(current)
                          || current.spaceType === "GROUP_CHAT" ? "DEFAULT_DIRECT_MESSAGES" : "DEFAULT_SPACES"))?.name}
                        onMove={async (target) => { await moveToSection(current.name, target); await reloadSections(); }} />
        ) : (
          <div class="welcome">
            <h2>{spaces === null ? "Loading…" : `Welcome, ${localPart(session.email)}`}</h2>
            {spaces !== null && <p>Pick a space or a direct message, or start one.</p>}
          </div>
        )}
      </main>
      {current && members && <Members space={current} me={me} onClose={() => setMembers(false)} />}
      {dialog === "space" && <NewSpaceDialog onDone={created} onClose={() => setDialog(null)} />}
      {dialog === "dm" && <DirectMessageDialog onDone={created} onClose={() => setDialog(null)} />}
      {dialog === "section" && (
        <NewSectionDialog onClose={() => setDialog(null)}
                          onDone={async (title) => { await createSection(title); await reloadSections(); setDialog(null); }} />
      )}
    </div>
  );
}
