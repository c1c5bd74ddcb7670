// The page: finishes a sign-in the browser came back from, then shows the chat, or the sign-in screen.
import { useEffect, useState } from "preact/hooks";
import { completeSignIn, lastSignInError, type Session, signOut, startSignIn } from "../auth";
import { Chat } from "./Chat";
import { forgetPeople } from "./people";

function SignIn({ problem }: { problem: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <main class="sign-in" id="main">
      <h1>chatsvc</h1>
      <p>Chat in the spaces and direct messages of your chatsvc account.</p>
      {problem && <p class="problem" role="alert">{problem}</p>}
      <button type="button" class="primary" disabled={busy}
              onClick={() => { setBusy(true); startSignIn().catch(() => setBusy(false)); }}>
        Sign in
      </button>
    </main>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    completeSignIn().then(setSession, () => setSession(null));
  }, []);
  if (session === undefined) return <main class="sign-in" id="main" aria-busy="true"><p>Signing in…</p></main>;
  if (session === null) return <SignIn problem={lastSignInError()} />;
  const leave = () => {
    forgetPeople();
    signOut().finally(() => setSession(null));
  };
  return <Chat session={session} onSignOut={leave} />;
}
