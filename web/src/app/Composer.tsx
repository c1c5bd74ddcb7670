// The message box: Enter sends, Shift+Enter starts a new line; files can be attached (uploaded on send); "@"
// offers the space's members to mention. The server reads the markup and the mentions of what is sent.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Candidate, matching, mentionAt, withMentions } from "./mentions";

interface Props {
  label: string;
  onSend: (text: string, files: File[]) => Promise<void>;
  /** Take the focus when shown, and again whenever this changes (the conversation was chosen again). */
  focus?: number | boolean;
  /** Who can be mentioned here. */
  candidates?: () => Candidate[];
}

let lists = 0;  // ids for the suggestion lists of several composers on one page

export function Composer({ label, onSend, focus, candidates }: Props) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<Candidate[]>([]);
  const [suggest, setSuggest] = useState<{ start: number; options: Candidate[]; active: number } | null>(null);
  const [listId] = useState(() => `mentions-${++lists}`);

  // The text as last written, ahead of the render that shows it (an effect may run between the two).
  const latest = useRef("");
  function write(value: string) {
    latest.current = value;
    setText(value);
  }

  function suggestFor(value: string, caret: number, keep?: string) {
    const at = candidates && mentionAt(value, caret);
    const options = at ? matching(candidates!(), at.query) : [];
    const active = Math.max(0, options.findIndex((c) => c.user === keep));
    setSuggest(at && options.length ? { start: at.start, options, active } : null);
  }

  function typed(value: string, caret: number) {
    write(value);
    suggestFor(value, caret);
  }

  // Who can be mentioned is learnt while the user types (members listed, names answered by the People API after
  // the keys): the open list follows, keeping the highlighted person.
  useEffect(() => {
    const element = box.current;
    if (element && document.activeElement === element) {
      suggestFor(latest.current, element.selectionStart, suggest?.options[suggest.active]?.user);
    }
  }, [candidates]);

  function pick(candidate: Candidate) {
    const element = box.current!;
    const caret = element.selectionStart;
    const before = text.slice(0, suggest!.start) + "@" + candidate.label + " ";
    // Written to the element at once with the caret after the name, so keys typed next land there.
    element.value = before + text.slice(caret);
    element.setSelectionRange(before.length, before.length);
    write(element.value);
    setPicked([...picked.filter((c) => c.user !== candidate.user), candidate]);
    setSuggest(null);
  }
  useEffect(() => {
    if (focus !== undefined && focus !== false) box.current?.focus();
  }, [focus]);

  async function send() {
    const body = text.trim();
    if ((!body && !files.length) || busy) return;
    setBusy(true);
    setProblem("");
    try {
      await onSend(withMentions(body, picked), files);
      write("");
      setSuggest(null);
      setFiles([]);
      setPicked([]);
    } catch (error: any) {
      setProblem(error?.message || String(error));
    } finally {
      setBusy(false);
      box.current?.focus();
    }
  }

  return (
    <form class="composer" onSubmit={(e) => { e.preventDefault(); send(); }}>
      {problem && <p class="problem" role="alert">Not sent: {problem}</p>}
      {files.length > 0 && (
        <ul class="pending-files" aria-label="Attached files">
          {files.map((file, i) => (
            <li key={i}>
              {file.name}
              <button type="button" class="link" aria-label={`Remove ${file.name}`}
                      onClick={() => setFiles(files.filter((_, j) => j !== i))}>×</button>
            </li>
          ))}
        </ul>
      )}
      {suggest && (
        <ul id={listId} class="mention-list" role="listbox" aria-label="People to mention">
          {suggest.options.map((c, i) => (
            <li key={c.user} id={`${listId}-${i}`} role="option" aria-selected={i === suggest.active}
                onMouseDown={(e) => { e.preventDefault(); pick(c); }}>
              {c.label}
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <input ref={picker} type="file" multiple hidden aria-hidden="true" tabIndex={-1}
               onChange={(e) => {
                 const input = e.target as HTMLInputElement;
                 setFiles([...files, ...Array.from(input.files || [])]);
                 input.value = "";
                 box.current?.focus();
               }} />
        <button type="button" class="attach" aria-label={`Attach a file to ${label.toLowerCase()}`}
                onClick={() => picker.current?.click()} disabled={busy}>+</button>
        <textarea ref={box} rows={1} aria-label={label} placeholder={label} value={text} readOnly={busy}
                  aria-autocomplete="list" aria-controls={suggest ? listId : undefined}
                  aria-activedescendant={suggest ? `${listId}-${suggest.active}` : undefined}
                  onInput={(e) => {
                    const element = e.target as HTMLTextAreaElement;
                    typed(element.value, element.selectionStart);
                  }}
                  // The list closes when focus has left the box (after a moment, so a click on an option still
                  // lands); focus that comes back, e.g. to press a key, reopens it where the caret is in a mention.
                  onBlur={() => setTimeout(() => {
                    if (document.activeElement !== box.current) setSuggest(null);
                  }, 150)}
                  onFocus={(e) => {
                    const element = e.target as HTMLTextAreaElement;
                    if (!suggest) typed(element.value, element.selectionStart);
                  }}
                  onKeyDown={(e) => {
                    if (suggest) {
                      const n = suggest.options.length;
                      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                        e.preventDefault();
                        setSuggest({ ...suggest, active: (suggest.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n });
                        return;
                      }
                      if (e.key === "Enter" || e.key === "Tab") {
                        e.preventDefault();
                        pick(suggest.options[suggest.active]);
                        return;
                      }
                      if (e.key === "Escape") {
                        e.preventDefault();
                        e.stopPropagation();
                        setSuggest(null);
                        return;
                      }
                    }
                    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
                  }} />
        <button type="submit" class="primary" disabled={busy || (!text.trim() && !files.length)}>Send</button>
      </div>
    </form>
  );
}
