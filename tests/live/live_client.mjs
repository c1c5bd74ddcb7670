// Drives web/src/live.ts (bundled by the test) in Node: opens the live stream with the token in LIVE_TOKEN at
// LIVE_URL and prints each status and event as one JSON line, until stdin closes.
import { openLiveStream } from "./live.bundle.mjs";

const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");
const stream = openLiveStream({
  url: process.env.LIVE_URL,
  token: async () => process.env.LIVE_TOKEN,
  onEvent: (event) => print({ kind: "event", resourceName: event.resourceName, eventType: event.eventType }),
  onStatus: (status, detail) => print({ kind: "status", status, detail: detail ?? null }),
});
process.stdin.resume();
process.stdin.on("end", () => {
  stream.close();
  print({ kind: "closed", lastEventId: stream.lastEventId ?? null });
  setTimeout(() => process.exit(0), 50);
});
