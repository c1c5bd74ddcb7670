// The open space's members, and adding someone by email (CreateMembership with the `users/{email}` alias).
import { useEffect, useState } from "preact/hooks";
import { api, listAll } from "../api";
import type { Space } from "./model";
import { isDm } from "./model";
import { emailOf, nameOf } from "./people";

export function Members({ space, me, onClose }: { space: Space; me: string; onClose: () => void }) {
  const [members, setMembers] = useState<any[] | null>(null);
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState("");

  async function load() {
    try {
      setMembers(await listAll<any>(`/v1/${space.name}/members`, "memberships"));
    } catch (error: any) {
      setProblem(error.message);
    }
  }
  useEffect(() => { load(); }, [space.name]);

  async function remove(membership: string) {
    setProblem("");
    try {
      await api("DELETE", `/v1/${membership}`);
      await load();
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  async function add(event: Event) {
    event.preventDefault();
    setProblem("");
    const address = email.trim().toLowerCase();
    try {
      await api("POST", `/v1/${space.name}/members`, { member: { name: `users/${address}`, type: "HUMAN" } });
      setEmail("");
      await load();
    } catch (error: any) {
      setProblem(error.message);
    }
  }

  // You first, then by name (sorted as shown: names may arrive after the list).
  const key = (m: any) => (m.member?.name === me ? "" : nameOf(m.member).toLowerCase());
  const sorted = members && [...members].sort((a, b) => key(a).localeCompare(key(b)));

  return (
    <aside class="members" aria-labelledby="members-title">
      <header>
        <h2 id="members-title">Members</h2>
        <button type="button" onClick={onClose} aria-label="Close members">×</button>
      </header>
      {sorted === null ? <p>Loading…</p> : (
        <ul>
          {sorted.map((m) => (
            <li key={m.name}>
              <span class="member">
                {m.member?.name === me ? "You" : nameOf(m.member)}
                {emailOf(m.member?.name) && <span class="muted"> {emailOf(m.member?.name)}</span>}
                {m.role === "ROLE_MANAGER" && <span class="muted"> · manager</span>}
              </span>
              {m.member?.name !== me && !isDm(space) && (
                <button type="button" class="link" aria-label={`Remove ${nameOf(m.member)}`}
                        onClick={() => remove(m.name)}>Remove</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!isDm(space) && (
        <form onSubmit={add}>
          <label for="member-email">Add a person by email</label>
          <input id="member-email" type="email" required value={email}
                 onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
          <button type="submit">Add</button>
        </form>
      )}
      {problem && <p class="problem" role="alert">{problem}</p>}
    </aside>
  );
}
