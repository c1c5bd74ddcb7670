// Modal forms: "New space" (spaces:setup with a name and members by email) and "Message a person" (find the DM
// with someone, or start it). Native <dialog>: the browser keeps focus inside and closes it on Escape.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";
import type { Space } from "./model";

function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="modal" aria-labelledby="modal-title" onClose={onClose}>
      <h2 id="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}

/** Addresses typed separated by commas, spaces or new lines. */
export function emails(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
}

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem("");
    try {
      await action();
    } catch (error: any) {
      setProblem(error?.message || String(error));
      setBusy(false);
    }
  }
  return { busy, problem, submit };
}

export function NewSpaceDialog({ onDone, onClose }: { onDone: (space: Space) => void; onClose: () => void }) {
  const [name, setName] = useState("");
  const [members, setMembers] = useState("");
  const { busy, problem, submit } = useSubmit(async () => {
    const addresses = emails(members);
    const space = await api<Space>("POST", "/v1/spaces:setup", {
      space: { spaceType: "SPACE", displayName: name.trim() },
      memberships: addresses.map((email) => ({ member: { name: `users/${email}`, type: "HUMAN" } })),
    });
    onDone(space);
  });
  return (
    <Modal title="New space" onClose={onClose}>
      <form onSubmit={submit}>
        <label for="space-name">Space name</label>
        <input id="space-name" required maxLength={128} value={name} autoFocus
               onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <label for="space-members">Members (email addresses, separated by commas)</label>
        <textarea id="space-members" rows={2} value={members} placeholder="bob@example.com, carol@example.com"
                  onInput={(e) => setMembers((e.target as HTMLTextAreaElement).value)} />
        {problem && <p class="problem" role="alert">{problem}</p>}
        <div class="buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy || !name.trim()}>Create</button>
        </div>
      </form>
    </Modal>
  );
}

export function DirectMessageDialog({ onDone, onClose }: { onDone: (space: Space) => void; onClose: () => void }) {
  const [email, setEmail] = useState("");
  const { busy, problem, submit } = useSubmit(async () => {
    const address = email.trim().toLowerCase();
    // SetUpSpace finds the DM when there is one (as Google's does) and starts it otherwise: one call, and no
    // FindDirectMessage 404 for the common case of a first message.
    const space = await api<Space>("POST", "/v1/spaces:setup", {
      space: { spaceType: "DIRECT_MESSAGE" },
      memberships: [{ member: { name: `users/${address}`, type: "HUMAN" } }],
    });
    onDone(space);
  });
  return (
    <Modal title="Message a person" onClose={onClose}>
      <form onSubmit={submit}>
        <label for="dm-email">Email address</label>
        <input id="dm-email" type="email" required value={email} autoFocus placeholder="bob@example.com"
               onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        {problem && <p class="problem" role="alert">{problem}</p>}
        <div class="buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy || !email.trim()}>Open</button>
        </div>
      </form>
    </Modal>
  );
}

export function NewSectionDialog({ onDone, onClose }: { onDone: (title: string) => Promise<void>; onClose: () => void }) {
  const [title, setTitle] = useState("");
  const { busy, problem, submit } = useSubmit(() => onDone(title.trim()));
  return (
    <Modal title="New section" onClose={onClose}>
      <form onSubmit={submit}>
        <label for="section-name">Section name</label>
        <input id="section-name" required maxLength={80} value={title} autoFocus
               onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        {problem && <p class="problem" role="alert">{problem}</p>}
        <div class="buttons">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy || !title.trim()}>Create</button>
        </div>
      </form>
    </Modal>
  );
}
