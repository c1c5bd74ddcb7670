// Where live events come from. Stop-gap until the live stream's client (web/src/live.ts) lands: every 2 s the
// space list is read again, and a space whose lastActiveTime moved gets an event that makes its open
// conversation read its tail again.
import { listAll } from "../api";
import type { LiveEvent, Space } from "./model";

export type UpdatesStatus = "connecting" | "live" | "polling" | "offline";

interface Options {
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: UpdatesStatus) => void;
  reload: () => void;
}

const PERIOD_MS = 2000;

/** Starts delivering events; returns the function that stops it. */
export function startUpdates({ onEvent, onStatus }: Options): () => void {
  let stopped = false;
  let seen: Map<string, string> | null = null;
  let timer = 0;
  async function poll() {
    try {
      const spaces = await listAll<Space>("/v1/spaces", "spaces");
      const now = new Map(spaces.map((s) => [s.name, s.lastActiveTime || ""]));
      if (seen) {
        for (const [space, active] of now) {
          if (seen.get(space) !== active) {
            onEvent({ space, eventType: "poll.message.v1.changed", resourceName: space, eventTime: active });
          }
        }
      }
      seen = now;
      onStatus("polling");
    } catch {
      onStatus("offline");
    }
    if (!stopped) timer = window.setTimeout(poll, PERIOD_MS);
  }
  poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
