// The live channel: chatsvc's LiveService.StreamEvents as server-sent events at /v1/live/events, read with fetch()
// so the token travels in the Authorization header (EventSource cannot send one, and a token in the URL would end
// up in logs). The stream remembers the last event id it saw and, whenever the connection ends (a server restart,
// a network change, a proxy timeout), reconnects with it (Last-Event-ID): the server sends every event recorded
// since, each once. No dependencies.

/** One space event, as the server sends it (proto3 JSON of chatsvc.live.v1.LiveEvent). */
export interface LiveEvent {
  resumeToken: string;
  space: string; // spaces/{space}
  eventType: string; // e.g. google.workspace.chat.message.v1.created
  resourceName: string; // e.g. spaces/{space}/messages/{message}
  eventTime: string; // RFC 3339
  spaceEvent?: any; // google.chat.v1.SpaceEvent: its payload holds the resource as the user may see it
}

/**
 * connecting: the first connection is being made; open: events flow; reconnecting: the connection ended and a new
 * one is under way (events recorded meanwhile will come); reload: the server could not resume from the last id
 * (too old, or not its own): the stream goes on from now, and the page should reload what it shows; closed: close()
 * was called, or the server refused the token for good (detail says why).
 */
export type LiveStatus = "connecting" | "open" | "reconnecting" | "reload" | "closed";

export interface LiveOptions {
  /** The access token for each connection (asked again on every reconnect, so a refreshed one is used). */
  token: () => string | Promise<string>;
  onEvent: (event: LiveEvent) => void;
  onStatus?: (status: LiveStatus, detail?: string) => void;
  /** An id an earlier stream gave (LiveStream.lastEventId): start after it rather than from now. */
  resumeFrom?: string;
  /** Where the stream is served; the page's own origin by default. */
  url?: string;
}

export interface LiveStream {
  /** The resume token of the last event seen (undefined until the stream opened). */
  readonly lastEventId: string | undefined;
  close(): void;
}

const PATH = "/v1/live/events";
const MAX_BACKOFF_MS = 2000;
const FIRST_BACKOFF_MS = 250;
// The server writes at least a heartbeat comment every 15 s; silence for longer means a dead connection.
const SILENCE_MS = 40_000;

class Refused extends Error {
  constructor(readonly status: number, readonly code: string, readonly reason: string, message: string) {
    super(message);
  }
}

/** Google's JSON error (`{error: {code, status, message, details}}`) of a response, as a Refused. */
async function refusal(response: Response): Promise<Refused> {
  let error: any = null;
  try {
    error = (await response.json())?.error;
  } catch {
    /* not JSON */
  }
  return refusalOf(response.status, error);
}

function refusalOf(status: number, error: any): Refused {
  const details: any[] = Array.isArray(error?.details) ? error.details : [];
  const info = details.find((d) => String(d?.["@type"]).endsWith("google.rpc.ErrorInfo"));
  return new Refused(status, String(error?.status ?? status), String(info?.reason ?? ""),
                     String(error?.message ?? `HTTP ${status}`));
}

/** The lines of a byte stream, split on CRLF, LF or CR as the SSE format allows. */
async function* lines(body: ReadableStream<Uint8Array>, onBytes: () => void): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      onBytes();
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== "\n" && c !== "\r") continue;
        // A CR at the end of the buffer may be the first half of a CRLF: wait for the next chunk.
        if (c === "\r" && i === buffer.length - 1) break;
        yield buffer.slice(start, i);
        if (c === "\r" && buffer[i + 1] === "\n") i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    reader.releaseLock();
  }
}

interface Frame {
  event: string;
  id: string | undefined;
  data: string;
}

/** SSE events from lines: `event:`, `id:`, `data:` fields up to a blank line; comments (`:`) ignored. */
async function* frames(source: AsyncGenerator<string>): AsyncGenerator<Frame> {
  let event = "";
  let id: string | undefined;
  let data: string[] = [];
  for await (const line of source) {
    if (line === "") {
      if (data.length) yield { event: event || "message", id, data: data.join("\n") };
      event = "";
      id = undefined;
      data = [];
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id" && !value.includes("\0")) id = value;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Opens the live channel; it runs until close(). */
export function openLiveStream(options: LiveOptions): LiveStream {
  const url = options.url ?? PATH;
  const stopped = new AbortController();
  let lastEventId = options.resumeFrom || undefined;
  let status: LiveStatus | undefined;
  let everOpened = false; // whether any connection opened yet
  let openedNow = false; // whether the latest connection opened

  function report(next: LiveStatus, detail?: string) {
    if (next === status && detail === undefined) return;
    status = next;
    try {
      options.onStatus?.(next, detail);
    } catch (error) {
      console.error("live stream: onStatus failed", error);
    }
  }

  /** One connection, until it ends. Resolves when the server ended the stream; throws Refused or a network error. */
  async function connect(): Promise<void> {
    openedNow = false;
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort();
    stopped.signal.addEventListener("abort", abortAttempt, { once: true });
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(abortAttempt, SILENCE_MS);
    };
    try {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${await options.token()}`,
        Accept: "text/event-stream",
      };
      if (lastEventId) headers["Last-Event-ID"] = lastEventId;
      heard();
      const response = await fetch(url, { headers, cache: "no-store", credentials: "omit", signal: attempt.signal });
      if (!response.ok) throw await refusal(response);
      if (!response.body) throw new Error("the response has no body");
      for await (const frame of frames(lines(response.body, heard))) {
        if (frame.event === "error") {
          let error: any = null;
          try {
            error = JSON.parse(frame.data)?.error;
          } catch {
            /* not JSON */
          }
          throw refusalOf(Number(error?.code) || 503, error);
        }
        let value: any;
        try {
          value = JSON.parse(frame.data);
        } catch {
          continue; // not ours to read; skip rather than lose the stream
        }
        if (frame.event === "open") {
          // A fresh stream's first id stands for "now"; a resumed one keeps the id it resumed from until events come.
          if (!lastEventId && frame.id) lastEventId = frame.id;
          openedNow = everOpened = true;
          report("open");
          continue;
        }
        if (frame.event !== "message") continue;
        try {
          options.onEvent(value as LiveEvent);
        } catch (error) {
          console.error("live stream: onEvent failed", error);
        }
        if (frame.id) lastEventId = frame.id; // after delivery: a resume never skips an event not handed over
      }
    } finally {
      clearTimeout(silence);
      stopped.signal.removeEventListener("abort", abortAttempt);
      attempt.abort(); // ends the request if the loop above left early
    }
  }

  async function run() {
    let failures = 0;
    report("connecting");
    while (!stopped.signal.aborted) {
      try {
        await connect();
      } catch (error) {
        if (stopped.signal.aborted) break;
        if (error instanceof Refused) {
          const resumeRefused = error.status === 400 && lastEventId !== undefined &&
            (error.reason === "RESUME_TOKEN_EXPIRED" || error.code === "INVALID_ARGUMENT");
          if (resumeRefused) {
            // The position cannot be resumed from: go on from now; the page reloads what it shows.
            lastEventId = undefined;
            report("reload", error.message);
            failures = 0;
            continue;
          }
          if (error.status === 403 || (error.status >= 400 && error.status < 500 &&
                                       error.status !== 401 && error.status !== 408 && error.status !== 429)) {
            report("closed", error.message); // the token may not read events: retrying will not change that
            return;
          }
        }
      }
      if (stopped.signal.aborted) break;
      if (openedNow) failures = 0; // it worked a while: the first retry comes soon
      report(everOpened ? "reconnecting" : "connecting");
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** failures);
      failures++;
      await sleep(backoff / 2 + Math.random() * backoff / 2, stopped.signal);
    }
    report("closed");
  }

  void run();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close() {
      stopped.abort();
    },
  };
}
