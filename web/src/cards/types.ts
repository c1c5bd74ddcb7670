// Shapes shared by the card renderer and whoever hosts it (the chat page, the preview page).
// Cards themselves stay `any`: they are google.apps.card.v1 in proto3 JSON (lowerCamelCase), read defensively.

/** The values of the card's inputs, by input `name`, as Google Chat sends them in `common.formInputs`.
 *  Every input is a list of strings: a text input's text, a selection's selected values, a date/time picker's
 *  milliseconds since the epoch (as a decimal string). */
export type FormInputs = Record<string, { stringInputs: { value: string[] } }>;

/** A click on something with an `onClick.action` (or an input's `onChangeAction`), ready for ClickCardAction
 *  (a message's card) or SubmitDialog (a dialog's card).
 *  - `function`, `parameters`: the card's Action (its parameter list turned into a map).
 *  - `interaction`: "OPEN_DIALOG" when the action asks for a dialog.
 *  - `formInputs`: every input of the cards at the time of the click.
 *  - `cardId`: the `cardId` of the CardWithId the click came from, when known. */
export interface CardAction {
  function: string;
  parameters: Record<string, string>;
  interaction?: "OPEN_DIALOG";
  formInputs: FormInputs;
  cardId?: string;
}

/** A text input (or a multi-select with an external data source) asking the app for suggestions. */
export interface AutocompleteRequest {
  widget: string;
  value: string;
  function?: string;
  formInputs: FormInputs;
}

/** A suggestion the app returned (SelectionItem: `text`, `value`, ...). */
export interface SuggestionItem {
  text?: string;
  value?: string;
  selected?: boolean;
  bottomText?: string;
  startIconUri?: string;
}

/** Called on a click; a returned promise keeps the clicked control busy (Action.loadIndicator) until it settles. */
export type ActionHandler = (action: CardAction) => void | Promise<unknown>;
/** Called as the user types in an input with an autocomplete action; resolves to the suggestions to show. */
export type AutocompleteHandler = (request: AutocompleteRequest) => Promise<SuggestionItem[] | undefined>;
