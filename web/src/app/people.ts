// Who `users/{id}` is. Chat's API returns users by id only (no email, no display name, as Google's does for
// user-authenticated calls), so the client learns names from what it knows: the signed-in user, the addresses it
// typed (resolved through GetMembership's `members/{email}` alias) and the display names mention annotations
// carry. Whoever is still unknown is shown by a short form of their id.
import { api } from "../api";

export interface Person { displayName?: string; email?: string }

const people = new Map<string, Person>();
const listeners = new Set<() => void>();
// What was learnt is kept per signed-in user in localStorage (names and addresses, never a token), so a reload
// still knows who is who; signing out forgets it.
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

/** Forgets everything learnt, here and in storage (on sign-out). */
export function forgetPeople(): void {
  if (storageKey) localStorage.removeItem(storageKey);
  storageKey = "";
  people.clear();
}

function save(): void {
  if (!storageKey) return;
  try {
    localStorage.setItem(storageKey, JSON.stringify(Object.fromEntries(people)));
  } catch {
    /* storage full or refused: names last until the page closes */
  }
}

export function learn(user: string | undefined, person: Person): void {
  if (!user) return;
  const known = people.get(user) || {};
  const merged = { displayName: known.displayName || person.displayName, email: known.email || person.email };
  if (merged.displayName === known.displayName && merged.email === known.email) return;
  people.set(user, merged);
  save();
  listeners.forEach((listener) => listener());
}

/** Called whenever a name is learnt; returns the unsubscribe function. */
export function onPeopleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function localPart(email: string): string {
  return email.split("@")[0];
}

/** The name to show for a user (`{name, displayName?, type?}` as the API returns it). */
export function nameOf(user: { name?: string; displayName?: string; type?: string } | undefined): string {
  if (!user?.name) return "Unknown";
  if (user.displayName) return user.displayName;
  const known = people.get(user.name);
  if (known?.displayName) return known.displayName;
  if (known?.email) return localPart(known.email);
  const tail = user.name.split("/").pop()!.slice(-4);
  return user.type === "BOT" ? `App ${tail}` : `User ${tail}`;
}

export function emailOf(user: string | undefined): string | undefined {
  return user ? people.get(user)?.email : undefined;
}

/** Learns the ids of addresses that are members of `space` (GetMembership by `members/{email}`). */
export async function resolveEmails(space: string, emails: string[]): Promise<void> {
  await Promise.all(emails.map(async (email) => {
    try {
      const membership: any = await api("GET", `/v1/${space}/members/${encodeURIComponent(email)}`);
      learn(membership.member?.name, { email, displayName: localPart(email) });
    } catch {
      /* not a member (yet): nothing to learn */
    }
  }));
}

/** Learns display names from a message's mention annotations. */
export function learnFromMessage(message: any): void {
  for (const annotation of message?.annotations || []) {
    const user = annotation.userMention?.user;
    if (user?.name && user.displayName && user.name !== "users/all") learn(user.name, { displayName: user.displayName });
  }
}
