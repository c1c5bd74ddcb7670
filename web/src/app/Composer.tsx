// The message box: Enter sends, Shift+Enter starts a new line. The text goes as typed; the server reads its
// markup and mentions (`@name` is not resolved here: `<users/{email}>` mentions someone).
import { useEffect, useRef, useState } from "preact/hooks";

interface Props {
  label: string;
  onSend: (text: string) => Promise<void>;
  /** Take the focus when shown, and again whenever this changes (the conversation was chosen again). */
  focus?: number | boolean;
}

export function Composer({ label, onSend, focus }: Props) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focus !== undefined && focus !== false) box.current?.focus();
  }, [focus]);

  async function send() {
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setProblem("");
    try {
      await onSend(body);
      setText("");
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
      <div class="composer-row">
        <textarea ref={box} rows={1} aria-label={label} placeholder={label} value={text} readOnly={busy}
                  onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
                  }} />
        <button type="submit" class="primary" disabled={busy || !text.trim()}>Send</button>
      </div>
    </form>
  );
}
