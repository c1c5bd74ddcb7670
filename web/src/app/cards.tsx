// A message's cardsV2 and accessory widgets, rendered and wired to their app by the card renderer
// (web/src/cards/): clicks and dialogs go through InteractionService with the user's token.
import { api } from "../api";
import { AppCards } from "../cards";
import type { Message } from "./model";

const call = (path: string, body: unknown) => api("POST", path, body);

export function MessageCards({ message, onMessage }: { message: Message; onMessage: (name: string) => void }) {
  return <AppCards message={message} call={call} onMessage={onMessage} />;
}
