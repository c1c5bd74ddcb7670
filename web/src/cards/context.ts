// What every widget of one rendered set of cards shares: where clicks and autocomplete go, and how the current
// values of all the inputs are read at the moment of a click.
import { createContext } from "preact";
import type { ActionHandler, AutocompleteHandler, CardAction, FormInputs } from "./types";

export interface CardEnv {
  onAction?: ActionHandler;
  onAutocomplete?: AutocompleteHandler;
  /** The inputs' values now, read from the rendered controls (the DOM is the form state). */
  formInputs: () => FormInputs;
  cardId?: string;
}

export const Env = createContext<CardEnv>({ formInputs: () => ({}) });

/** Reads every control carrying data-input (its input name) under `root` into Google's formInputs shape. */
export function readInputs(root: Element | null): FormInputs {
  const inputs: FormInputs = {};
  if (!root) return inputs;
  const add = (name: string, value: string | null) => {
    const entry = (inputs[name] ??= { stringInputs: { value: [] } });
    if (value !== null) entry.stringInputs.value.push(value);
  };
  for (const el of Array.from(root.querySelectorAll<HTMLElement>("[data-input]"))) {
    const name = el.dataset.input!;
    if (!name) continue;
    if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
      add(name, el.checked ? el.value : null);
    } else if (el instanceof HTMLSelectElement) {
      add(name, null);
      for (const option of Array.from(el.selectedOptions)) if (option.value !== "") add(name, option.value);
    } else if (el instanceof HTMLInputElement && el.dataset.epoch !== undefined) {
      add(name, el.value ? String(epochOf(el)) : null);
    } else if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      add(name, el.value);
    }
  }
  return inputs;
}

// A date/time picker's value in milliseconds since the epoch: date-only and date-time read as UTC (Google's
// pickers send the picked wall time as UTC ms), time-only as milliseconds since midnight.
function epochOf(el: HTMLInputElement): number {
  if (el.type === "time") {
    const [h, m] = el.value.split(":").map(Number);
    return (h * 60 + m) * 60_000;
  }
  return Date.parse(el.type === "date" ? `${el.value}T00:00:00Z` : `${el.value}Z`);
}

/** The Action of a card as a CardAction, with the inputs' values now. */
export function toCardAction(action: any, env: CardEnv): CardAction {
  const parameters: Record<string, string> = {};
  for (const p of Array.isArray(action?.parameters) ? action.parameters : []) {
    if (p && typeof p.key === "string") parameters[p.key] = String(p.value ?? "");
  }
  const out: CardAction = { function: String(action?.function ?? ""), parameters, formInputs: env.formInputs() };
  if (action?.interaction === "OPEN_DIALOG") out.interaction = "OPEN_DIALOG";
  if (env.cardId) out.cardId = env.cardId;
  return out;
}

/** The names of the action's required inputs that are empty now (Action.requiredWidgets/allWidgetsAreRequired). */
export function missingInputs(action: any, inputs: FormInputs): string[] {
  const names: string[] = action?.allWidgetsAreRequired ? Object.keys(inputs)
    : Array.isArray(action?.requiredWidgets) ? action.requiredWidgets : [];
  return names.filter((n) => !(inputs[n]?.stringInputs.value ?? []).some((v) => v.trim() !== ""));
}
