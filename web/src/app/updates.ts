// The chat's live updates: the live channel (web/src/live.ts, server-sent events of the user's space events,
// resumed after a reconnect with nothing missed and nothing twice). When the server cannot resume (the last
// event seen is too old), or when the first connection opens (events may have happened between the page's first
// reads and the stream), the page reads its state again.
import { accessToken } from "../auth";
import { openLiveStream } from "../live";
import type { LiveEvent } from "./model";

export type UpdatesStatus = "connecting" | "live" | "offline";

interface Options {
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: UpdatesStatus) => void;
  /** Read everything shown again: events may have been missed. */
  reload: () => void;
}

/** Starts the stream; returns the function that stops it. */
export function startUpdates({ onEvent, onStatus, reload }: Options): () => void {
  let opened = false;
  const stream = openLiveStream({
    token: accessToken,
    onEvent,
    onStatus: (status) => {
      if (status === "open") {
        if (!opened) reload();
        opened = true;
        onStatus("live");
      } else if (status === "reload") {
        reload();
      } else {
        onStatus(status === "closed" ? "offline" : "connecting");
      }
    },
  });
  return () => stream.close();
}
