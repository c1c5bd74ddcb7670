// Who `users/{id}` is. Chat's API returns users by id only (no email, no display name, as Google's does for
// user-authenticated calls); Google's way to name them is the People API, where Chat's `users/{id}` is
// `people/{id}`. Every id the page shows is asked for there once per page life, in batches (the ids named during
// one render pass go in one people:batchGet call, at most 200 a call); an app's id answers with its name too.
// Until an answer comes (or when none does), the page names people from what it learnt meanwhile: the signed-in
// user's address and the display names mention annotations carry; whoever is still unknown is shown by a short
// form of their id.
import { api } from "../api";

export interface Person { displayName?: string; email?: string }

const people = new Map<string, Person>();
const listeners = new Set<() => void>();
const asked = new Set<string>();  // ids asked of the People API (or being asked) in this page's life
let waiting: string[] = [];  // ids to ask in the next batch
let generation = 0;  // answers of an earlier sign-in are dropped
const BATCH = 200;  // people:batchGet takes at most 200 resourceNames
// What was learnt is kept per signed-in user in localStorage (names and addresses, never a token), so a reload
// names people at once, before the People API answers again; signing out forgets it.
let storageKey = "";

/** Starts the directory of the user `me` (`users/{id}`), with what this browser learnt before. */
export function openPeople(me: string): void {
  storageKey = `chatsvc.people.${me}`;
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
    for (const [user, person] of Object.entries(saved)) people.set(user, person as Person);
  } catch {
    /* nothing usable saved */
  }
}

/** Forgets everything learnt, here and in storage (on sign-out); the next user's page asks afresh. */
export function forgetPeople(): void {
  if (storageKey) localStorage.removeItem(storageKey);
  storageKey = "";
  people.clear();
  asked.clear();
  waiting = [];
  generation++;
}

function save(): void {
  if (!storageKey) return;
  try {
    localStorage.setItem(storageKey, JSON.stringify(Object.fromEntries(people)));
  } catch {
    /* storage full or refused: names last until the page closes */
  }
}

function changed(): void {
  save();
  listeners.forEach((listener) => listener());
}

/** Learns what is known of `user` where nothing better is known yet (a guess never replaces the directory's). */
export function learn(user: string | undefined, person: Person): void {
  if (!user) return;
  const known = people.get(user) || {};
  const merged = { displayName: known.displayName || person.displayName, email: known.email || person.email };
  if (merged.displayName === known.displayName && merged.email === known.email) return;
  people.set(user, merged);
  changed();
}

/** Called whenever a name is learnt; returns the unsubscribe function. */
export function onPeopleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function localPart(email: string): string {
  return email.split("@")[0];
}

/** Asks the People API about `user` in the next batch, unless it was asked already. */
function want(user: string): void {
  if (asked.has(user) || !/^users\/[^/@]+$/.test(user) || user === "users/all" || user === "users/me") return;
  asked.add(user);
  waiting.push(user);
  if (waiting.length === 1) setTimeout(flush, 0);  // everyone named in this tick goes together
}

function flush(): void {
  const users = waiting;
  waiting = [];
  for (let i = 0; i < users.length; i += BATCH) ask(users.slice(i, i + BATCH), generation);
}

async function ask(users: string[], asOf: number): Promise<void> {
  const params = new URLSearchParams(users.map((user) => ["resourceNames", "people/" + user.slice("users/".length)]));
  params.set("personFields", "names,emailAddresses");
  let answer: any;
  try {
    answer = await api("GET", "/v1/people:batchGet?" + params.toString());
  } catch {
    return;  // not answered: these ids keep the names learnt otherwise (asked once, not again)
  }
  if (asOf !== generation) return;
  let news = false;
  for (const response of answer?.responses || []) {
    const person = response?.person;
    const requested = String(response?.requestedResourceName || "");
    if (!person || !requested.startsWith("people/")) continue;  // an unknown id: a per-item 404
    const user = "users/" + requested.slice("people/".length);
    const name = (person.names || []).find((n: any) => n?.metadata?.primary) || person.names?.[0];
    const email = (person.emailAddresses || []).find((e: any) => e?.metadata?.primary) || person.emailAddresses?.[0];
    const known = people.get(user) || {};
    // The directory's answer replaces guesses (an address's local part, a name remembered from last time).
    const found = { displayName: name?.displayName || known.displayName, email: email?.value || known.email };
    if (found.displayName === known.displayName && found.email === known.email) continue;
    people.set(user, found);
    news = true;
  }
  if (news) changed();
}

/** The name to show for a user (`{name, displayName?, type?}` as the API returns it). */
export function nameOf(user: { name?: string; displayName?: string; type?: string } | undefined): string {
  if (!user?.name) return "Unknown";
  want(user.name);
  if (user.displayName) return user.displayName;
  const known = people.get(user.name);
  if (known?.displayName) return known.displayName;
  if (known?.email) return localPart(known.email);
  const tail = user.name.split("/").pop()!.slice(-4);
  return user.type === "BOT" ? `App ${tail}` : `User ${tail}`;
}

export function emailOf(user: string | undefined): string | undefined {
  if (user) want(user);
  return user ? people.get(user)?.email : undefined;
}

/** Learns display names from a message's mention annotations. */
export function learnFromMessage(message: any): void {
  for (const annotation of message?.annotations || []) {
    const user = annotation.userMention?.user;
    if (user?.name && user.displayName && user.name !== "users/all") learn(user.name, { displayName: user.displayName });
  }
}
