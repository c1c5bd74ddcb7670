// The message box: Enter sends, Shift+Enter starts a new line; files can be attached (uploaded on send). The
// text goes as typed; the server reads its markup and mentions (`<users/{email}>` mentions someone).
import { useEffect, useRef, useState } from "preact/hooks";

interface Props {
  label: string;
  onSend: (text: string, files: File[]) => Promise<void>;
  /** Take the focus when shown, and again whenever this changes (the conversation was chosen again). */
  focus?: number | boolean;
}

export function Composer({ label, onSend, focus }: Props) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focus !== undefined && focus !== false) box.current?.focus();
  }, [focus]);

  async function send() {
    const body = text.trim();
    if ((!body && !files.length) || busy) return;
    setBusy(true);
    setProblem("");
    try {
      await onSend(body, files);
      setText("");
      setFiles([]);
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
                  onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
                  }} />
        <button type="submit" class="primary" disabled={busy || (!text.trim() && !files.length)}>Send</button>
      </div>
    </form>
  );
}
