// Signing in to chatsvc from this page: a public OAuth client (`chatsvc-web`, built into every server:
// chatsvc.oauth_server.web_client) using the authorization code flow with PKCE (S256), like any installed app.
//
// Where things live, and why:
// - The PKCE verifier and the state are kept in sessionStorage for the round trip to /oauth2/auth and back only
//   (the page is reloaded in between), and deleted as soon as the page returns. They are not tokens: a verifier is
//   worthless without the code, which only comes back to this origin.
// - The access and refresh tokens are held in this module's memory only: never in localStorage, sessionStorage,
//   cookies or URLs. A reload loses them; the page then signs in again, which is a redirect round trip with no
//   typing while the authorization server's own session cookie (HttpOnly, path /oauth2/) lasts. What tells a
//   reload from a first visit is a flag in sessionStorage (this tab was signed in), which holds nothing secret.
// - The code and state are removed from the address bar (history.replaceState) before the code is even redeemed.
// - Signing out revokes the grant (all of its tokens) and ends the authorization server's session.

export type Session = { email: string; userName: string };

const CLIENT_ID = "chatsvc-web";
const PENDING = "chatsvc.signIn"; // sessionStorage key, for the round trip only
const RESUME = "chatsvc.signedIn"; // sessionStorage flag: this tab was signed in (a reload signs in again)
const REFRESH_MARGIN_MS = 60_000; // refresh this long before the access token expires (a quarter of a short life)
// What the chat UI calls (the server's web_client.SCOPES: asking more would bring up the consent page); the People
// API's directory.readonly names the users Chat's API returns by id only.
const SCOPES = [
  "chat.spaces", "chat.memberships", "chat.messages", "chat.messages.reactions", "chat.users.readstate",
  "chat.users.spacesettings", "chat.users.sections", "chat.users.availability", "directory.readonly",
].map((s) => "https://www.googleapis.com/auth/" + s);

type Pending = { state: string; verifier: string; returnTo: string };
type Tokens = { access: string; refresh: string; refreshAt: number };

let tokens: Tokens | null = null;
let refreshing: Promise<string> | null = null;
let lastError = "";

function redirectUri(): string {
  return location.origin + "/";
}

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Goes to chatsvc's sign-in page; the browser comes back to `/` with a code (completeSignIn takes it from there). */
export async function startSignIn(loginHint?: string): Promise<void> {
  const verifier = randomString(48); // 64 characters, within RFC 7636's 43..128
  const state = randomString(16);
  const pending: Pending = { state, verifier, returnTo: location.pathname + location.search + location.hash };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: redirectUri(),
    response_type: "code",
    scope: SCOPES.join(" "),
    state,
    code_challenge: await s256(verifier),
    code_challenge_method: "S256",
    access_type: "offline", // a refresh token, kept in memory, renews the access token
  });
  if (loginHint) params.set("login_hint", loginHint);
  location.assign("/oauth2/auth?" + params.toString());
}

function takePending(): Pending | null {
  const text = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!text) return null;
  try {
    return JSON.parse(text) as Pending;
  } catch {
    return null;
  }
}

/** Takes `code`, `state` and `error` out of the address bar, back to where sign-in started. */
function cleanAddress(returnTo: string | undefined): void {
  const url = new URL(location.href);
  for (const name of ["code", "state", "scope", "error", "error_description", "authuser", "prompt"]) {
    url.searchParams.delete(name);
  }
  const target = returnTo && returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo
    : url.pathname + url.search + url.hash;
  history.replaceState(history.state, "", target);
}

const ERRORS: Record<string, string> = {
  access_denied: "Sign-in was cancelled.",
  invalid_scope: "The server does not grant what this page asks for.",
  invalid_request: "The sign-in request was refused.",
};

/** On load: finishes a sign-in the browser just came back from. The session, or null when the address holds no
 * answer from the sign-in page, or when it failed (lastSignInError() then says why). A tab that was signed in
 * before a reload goes to sign in again instead (the promise then never settles: the page is navigating away). */
export async function completeSignIn(): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const state = params.get("state");
  const error = params.get("error");
  if (!code && !error) {
    if (!sessionStorage.getItem(RESUME)) return null;
    sessionStorage.removeItem(RESUME); // set again once signed in: a failure cannot loop
    await startSignIn();
    return new Promise<never>(() => {});
  }
  const pending = takePending();
  cleanAddress(pending?.returnTo);
  if (error) {
    lastError = ERRORS[error] || `Sign-in failed (${error}).`;
    return null;
  }
  if (!pending || !state || state !== pending.state) {
    if (!pending && sessionStorage.getItem(RESUME)) {
      // An answer to an earlier round trip (the Back button led through the sign-in page again) in a tab that was
      // signed in: it is not redeemed; the tab signs in afresh, as after a reload.
      sessionStorage.removeItem(RESUME);
      await startSignIn();
      return new Promise<never>(() => {});
    }
    lastError = "This sign-in was not started from this page. Sign in again.";
    return null;
  }
  try {
    const answer = await tokenCall({
      grant_type: "authorization_code", code: code!, redirect_uri: redirectUri(), client_id: CLIENT_ID,
      code_verifier: pending.verifier,
    });
    keep(answer, "");
    const session = { email: String(answer.email || ""), userName: await ownUserName() };
    sessionStorage.setItem(RESUME, "1");
    lastError = "";
    return session;
  } catch (e) {
    tokens = null;
    lastError = e instanceof Error ? e.message : "Sign-in failed.";
    return null;
  }
}

/** Why the last sign-in failed ("" when it did not). */
export function lastSignInError(): string {
  return lastError;
}

/** Whether this page holds tokens (it does not after a reload, until sign-in completes again). */
export function signedIn(): boolean {
  return tokens !== null;
}

async function tokenCall(form: Record<string, string>): Promise<any> {
  let response: Response;
  try {
    response = await fetch("/oauth2/token", {
      method: "POST", body: new URLSearchParams(form), cache: "no-store", credentials: "omit",
    });
  } catch {
    throw new Error("The server cannot be reached.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.access_token !== "string") {
    throw new Error(`Sign-in failed: ${body.error_description || body.error || response.status}`);
  }
  return body;
}

function keep(answer: any, refresh: string): void {
  const lifetime = Number(answer.expires_in || 0) * 1000;
  tokens = {
    access: answer.access_token,
    refresh: typeof answer.refresh_token === "string" ? answer.refresh_token : refresh, // refreshing keeps it
    refreshAt: Date.now() + lifetime - Math.min(REFRESH_MARGIN_MS, lifetime / 4),
  };
}

/** `users/{id}` of the signed-in user, from the one Chat call that names the caller: their availability. */
async function ownUserName(): Promise<string> {
  const response = await fetch("/v1/users/me/availability", {
    headers: { Authorization: `Bearer ${tokens!.access}` }, cache: "no-store", credentials: "omit",
  });
  if (!response.ok) throw new Error(`Sign-in failed: the server answered ${response.status} for the user.`);
  const name = String((await response.json()).name || "");
  return name.replace(/\/availability$/, "");
}

/** The current access token, refreshed shortly before it expires. Throws when signed out (or when the grant was
 * revoked meanwhile: then the page is signed out). */
export async function accessToken(): Promise<string> {
  if (!tokens) throw new Error("Not signed in.");
  if (Date.now() < tokens.refreshAt || !tokens.refresh) return tokens.access;
  if (!refreshing) {
    const refresh = tokens.refresh;
    refreshing = tokenCall({ grant_type: "refresh_token", refresh_token: refresh, client_id: CLIENT_ID })
      .then((answer) => {
        if (tokens && tokens.refresh === refresh) keep(answer, refresh);
        return answer.access_token as string;
      })
      .catch((e) => {
        if (tokens && tokens.refresh === refresh) tokens = null;
        throw e;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

/** Revokes this page's grant (its refresh token and every access token of it), forgets the tokens, and ends the
 * authorization server's session in this browser, so that the next sign-in asks who is signing in. */
export async function signOut(): Promise<void> {
  const held = tokens;
  tokens = null;
  refreshing = null;
  sessionStorage.removeItem(RESUME);
  const calls: Promise<unknown>[] = [
    fetch("/oauth2/signout", { method: "POST", cache: "no-store", credentials: "same-origin" })
      .then((r) => r.text()),
  ];
  if (held) {
    // Revoking any token of a grant revokes all of it (as Google's endpoint does): the refresh token, or the
    // access token when there is none.
    calls.push(fetch("/oauth2/revoke", {
      method: "POST", body: new URLSearchParams({ token: held.refresh || held.access }), cache: "no-store",
      credentials: "omit",
    }).then((r) => r.text())); // read to the end: done, even if the page navigates right after
  }
  await Promise.allSettled(calls);
}
