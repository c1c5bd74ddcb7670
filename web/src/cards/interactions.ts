// InteractionService (chatsvc.interactions.v1) over REST: what a Chat client does with an app's cards. The host
// page injects `call`, which POSTs JSON with the user's token and resolves to the parsed answer (rejecting with an
// Error whose message is the API's error message), so this module knows nothing about sign-in.
import type { CardAction, FormInputs, SuggestionItem } from "./types";

export type ApiCall = (path: string, body: unknown) => Promise<any>;

/** What an interaction did (chatsvc.interactions.v1.InteractionResponse in JSON). */
export interface InteractionResponse {
  delivery?: string;
  app?: string;
  /** The app's actionResponse as it took effect: {type, dialogAction, updatedWidget, url}. */
  actionResponse?: any;
  /** The message the answer posted or updated. */
  message?: string;
}

/** `spaces/{space}` of a message or space name. */
export const spaceOf = (name: string) => name.split("/").slice(0, 2).join("/");

/** The five calls, with the REST paths of their google.api.http annotations. */
export function interactionsApi(call: ApiCall) {
  return {
    clickCardAction: (message: string, a: CardAction): Promise<InteractionResponse> =>
      call(`/v1/${message}:clickCardAction`, { function: a.function, parameters: a.parameters, formInputs: a.formInputs }),
    submitDialog: (space: string, body: { app?: string; message?: string; function: string;
                                          parameters?: Record<string, string>; formInputs?: FormInputs }) =>
      call(`/v1/${space}:submitDialog`, body) as Promise<InteractionResponse>,
    cancelDialog: (space: string, body: { app?: string; message?: string }) =>
      call(`/v1/${space}:cancelDialog`, body) as Promise<InteractionResponse>,
    autocompleteWidget: (space: string, body: { message?: string; app?: string; widget: string; value: string;
                                                function?: string; formInputs?: FormInputs }) =>
      call(`/v1/${space}:autocompleteWidget`, body) as Promise<InteractionResponse>,
    runQuickCommand: (space: string, app: string, commandId: number) =>
      call(`/v1/${space}:runQuickCommand`, { app, commandId }) as Promise<InteractionResponse>,
  };
}
export type InteractionsApi = ReturnType<typeof interactionsApi>;

/** The dialog card an answer opens (DIALOG with dialogAction.dialog.body), if any. */
export function dialogOf(response: InteractionResponse | undefined): any | undefined {
  return response?.actionResponse?.dialogAction?.dialog?.body;
}

/** The action status an answer gives (dialogAction.actionStatus: an object, or a bare status string). */
export function actionStatusOf(response: InteractionResponse | undefined): { code: string; text: string } | undefined {
  const status = response?.actionResponse?.dialogAction?.actionStatus;
  if (status === undefined || status === null) return undefined;
  if (typeof status === "string") return { code: status, text: "" };
  return { code: String(status.statusCode ?? "OK"), text: String(status.userFacingMessage ?? "") };
}

/** UPDATE_WIDGET suggestions for `widget` in an answer. */
export function suggestionsOf(response: InteractionResponse | undefined): SuggestionItem[] | undefined {
  const updated = response?.actionResponse?.updatedWidget;
  return Array.isArray(updated?.suggestions?.items) ? updated.suggestions.items : undefined;
}
