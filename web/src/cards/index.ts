// The card renderer (google.apps.card.v1) and its interactions with Chat apps. See types.ts for CardAction.
export { AccessoryWidgets, Card, CardsV2 } from "./Card";
export type { CardsV2Props } from "./Card";
export { Formatted, safeUrl } from "./format";
export type { ActionHandler, AutocompleteHandler, AutocompleteRequest, CardAction, FormInputs, SuggestionItem } from "./types";
export { AppCards, AppDialog, runQuickCommand } from "./AppCards";
export type { AppCardsProps, AppDialogProps, OpenDialog } from "./AppCards";
export { actionStatusOf, dialogOf, interactionsApi, spaceOf, suggestionsOf } from "./interactions";
export type { ApiCall, InteractionResponse, InteractionsApi } from "./interactions";
