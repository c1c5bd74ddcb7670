// A message's cards wired to its app: clicks go to ClickCardAction, dialogs open over the page (AppDialog),
// autocomplete asks AutocompleteWidget, and the host hears which message changed so it can read it again.
import { useEffect, useRef, useState } from "preact/hooks";
import { AccessoryWidgets, Card, CardsV2 } from "./Card";
import { Env, readInputs } from "./context";
import {
  actionStatusOf, type ApiCall, dialogOf, type InteractionResponse, interactionsApi, spaceOf, suggestionsOf,
} from "./interactions";
import type { CardAction } from "./types";

/** An open dialog: its card, and who showed it where. */
export interface OpenDialog {
  card: any;
  space: string;
  app?: string;
  message?: string;
}

/** Runs an app's quick command in a space (RunQuickCommand); the dialog it opens, for AppDialog, or null when the
 *  app answered otherwise (a message, which the host sees arrive like any other). */
export async function runQuickCommand(call: ApiCall, space: string, app: string, commandId: number)
  : Promise<OpenDialog | null> {
  const response = await interactionsApi(call).runQuickCommand(space, app, commandId);
  const card = dialogOf(response);
  return card ? { card, space, app: response.app ?? app } : null;
}

export interface AppCardsProps {
  /** The message as the API returns it: name, cardsV2, accessoryWidgets. */
  message: { name: string; cardsV2?: any[]; accessoryWidgets?: any[] };
  call: ApiCall;
  /** A message the app posted or updated in answer (the host reads it again). */
  onMessage?: (name: string) => void;
}

function statusLine(response: InteractionResponse | undefined): string {
  const status = actionStatusOf(response);
  if (!status) return "";
  return status.text || (status.code === "OK" ? "" : `The app answered ${status.code}`);
}

/** The cards of an app's message, live. */
export function AppCards({ message, call, onMessage }: AppCardsProps) {
  const api = interactionsApi(call);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState("");
  const space = spaceOf(message.name);
  const onAction = async (action: CardAction) => {
    setNotice("");
    const response = await api.clickCardAction(message.name, action);
    const body = dialogOf(response);
    if (body) setDialog({ card: body, space, app: response.app, message: message.name });
    setNotice(statusLine(response));
    if (response.message) onMessage?.(response.message);
  };
  const onAutocomplete = async (request: { widget: string; value: string; formInputs: any }) =>
    suggestionsOf(await api.autocompleteWidget(space, { message: message.name, widget: request.widget,
                                                         value: request.value, formInputs: request.formInputs }));
  return <div class="app-cards">
    {message.cardsV2?.length ? <CardsV2 cards={message.cardsV2} onAction={onAction} onAutocomplete={onAutocomplete} />
      : null}
    {message.accessoryWidgets?.length ? <AccessoryWidgets widgets={message.accessoryWidgets} onAction={onAction} />
      : null}
    {notice && <div class="card-status" role="status">{notice}</div>}
    {dialog && <AppDialog dialog={dialog} call={call} onMessage={onMessage}
                          onClose={(text) => { setDialog(null); if (text) setNotice(text); }} />}
  </div>;
}

export interface AppDialogProps {
  dialog: OpenDialog;
  call: ApiCall;
  /** Closed: by the user (cancelled), by an action status (its text), or by a posted message. */
  onClose: (status?: string) => void;
  onMessage?: (name: string) => void;
}

/** A modal dialog showing an app's dialog card: its buttons submit (SubmitDialog), closing cancels
 *  (CancelDialog); the app answers with another dialog, an action status, or a message. */
export function AppDialog({ dialog, call, onClose, onMessage }: AppDialogProps) {
  const api = interactionsApi(call);
  const ref = useRef<HTMLDialogElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [card, setCard] = useState(dialog.card);
  const [problem, setProblem] = useState("");
  const who = { app: dialog.app, message: dialog.message };
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    // Focus goes to the dialog's first input (showModal would pick the close button, first in order).
    body.current?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }, [card]);
  const cancel = async () => {
    let status = "";
    try {
      status = statusLine(await api.cancelDialog(dialog.space, who));
    } catch { /* closing is the user's choice: the dialog goes even if the app does not answer */ }
    onClose(status);
  };
  const onAction = async (action: CardAction) => {
    setProblem("");
    try {
      const response = await api.submitDialog(dialog.space, { ...who, function: action.function,
                                                              parameters: action.parameters,
                                                              formInputs: action.formInputs });
      const next = dialogOf(response);
      if (response.message) onMessage?.(response.message);
      if (next) {
        setCard(next);
        return;
      }
      const status = actionStatusOf(response);
      if (status && status.code !== "OK" && status.text) {
        setProblem(status.text);
        return;
      }
      onClose(statusLine(response));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const onAutocomplete = async (request: { widget: string; value: string; function?: string; formInputs: any }) =>
    suggestionsOf(await api.autocompleteWidget(dialog.space, { app: dialog.app, widget: request.widget,
                                                               value: request.value, function: request.function,
                                                               formInputs: request.formInputs }));
  const title = typeof card?.header?.title === "string" ? card.header.title : "Dialog";
  return <dialog ref={ref} class="card-dialog" aria-label={title}
                 onCancel={(e) => { e.preventDefault(); cancel(); }}>
    <div class="card-dialog-bar">
      <button type="button" class="card-button card-button-borderless card-dialog-close" aria-label="Close dialog"
              onClick={cancel}>✕</button>
    </div>
    <div ref={body} class="card-dialog-body">
      <Env.Provider value={{ onAction, onAutocomplete, formInputs: () => readInputs(body.current) }}>
        <Card card={card} />
      </Env.Provider>
    </div>
    {problem && <div class="card-action-problem" role="alert">{problem}</div>}
  </dialog>;
}
