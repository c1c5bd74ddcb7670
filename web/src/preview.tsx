// The card preview page (/cards): paste a cardsV2 JSON (a message, its cardsV2 list, one CardWithId or one bare
// card) and see it rendered live beside the text, like Google's Card Builder. Clicks are not sent anywhere: the
// page lists what a click would send to the app, so a card's actions and inputs can be checked too.
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { AccessoryWidgets, CardsV2 } from "./cards";
import { SAMPLES } from "./cards/samples";
import type { AutocompleteRequest, CardAction } from "./cards/types";

interface Parsed { cards: any[]; accessory: any[] }

/** Reads the pasted text into cards, or throws an Error saying what is wrong with it. */
function parse(text: string): Parsed {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) return { cards: value, accessory: [] };
  if (!value || typeof value !== "object") throw new Error("Expected an object or a list of cards");
  if (Array.isArray(value.cardsV2) || Array.isArray(value.accessoryWidgets)) {
    return { cards: value.cardsV2 ?? [], accessory: value.accessoryWidgets ?? [] };
  }
  if (value.cardsV2 !== undefined) throw new Error("cardsV2 must be a list of {cardId, card}");
  const body = value.actionResponse?.dialogAction?.dialog?.body ?? value.dialog?.body;
  if (body) return { cards: [body], accessory: [] };
  if (value.card || value.sections || value.header) return { cards: [value], accessory: [] };
  throw new Error("Expected cardsV2, a list of cards, {cardId, card}, or a card with header or sections");
}

function describe(a: CardAction): string {
  return JSON.stringify({ function: a.function, parameters: a.parameters, interaction: a.interaction,
                          cardId: a.cardId, formInputs: a.formInputs });
}

function Preview() {
  const first = Object.keys(SAMPLES)[0];
  const [sample, setSample] = useState(first);
  const [text, setText] = useState(() => JSON.stringify(SAMPLES[first], null, 2));
  const [shown, setShown] = useState(text);
  const [log, setLog] = useState<string[]>([]);
  useEffect(() => {
    const timer = window.setTimeout(() => setShown(text), 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  const result = useMemo(() => {
    try {
      return { parsed: parse(shown), error: "" };
    } catch (error) {
      return { parsed: null, error: (error as Error).message };
    }
  }, [shown]);
  const note = (line: string) => setLog((old) => [line, ...old].slice(0, 20));
  const onAction = (a: CardAction) => note(`Click → ${describe(a)}`);
  const onAutocomplete = async (r: AutocompleteRequest) => {
    note(`Autocomplete → ${JSON.stringify({ widget: r.widget, value: r.value, function: r.function })}`);
    return undefined;
  };
  return <main class="preview">
    <header class="preview-bar">
      <h1>Card preview</h1>
      <label>Start from{" "}
        <select aria-label="Sample card" value={sample} onChange={(e) => {
          const name = (e.target as HTMLSelectElement).value;
          setSample(name);
          if (SAMPLES[name]) setText(JSON.stringify(SAMPLES[name], null, 2));
        }}>
          <option value="">Your JSON</option>
          {Object.keys(SAMPLES).map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
    </header>
    <div class="preview-panes">
      <section class="preview-source" aria-label="Card JSON">
        <label for="card-json">cardsV2 JSON (a message, its cardsV2, or one card)</label>
        <textarea id="card-json" spellcheck={false} value={text}
                  onInput={(e) => { setText((e.target as HTMLTextAreaElement).value); setSample(""); }} />
        <div class="preview-error" role="alert" data-testid="json-error">{result.error}</div>
      </section>
      <section class="preview-render" aria-label="Rendered card" data-testid="rendered">
        {result.parsed && <>
          <CardsV2 key={shown} cards={result.parsed.cards} onAction={onAction} onAutocomplete={onAutocomplete} />
          {result.parsed.accessory.length > 0 && <AccessoryWidgets widgets={result.parsed.accessory} onAction={onAction} />}
        </>}
        {log.length > 0 && <div class="preview-log" aria-label="What the app would receive">
          <h2>What the app would receive</h2>
          {log.map((line, i) => <pre key={i}>{line}</pre>)}
        </div>}
      </section>
    </div>
  </main>;
}

render(<Preview />, document.getElementById("app")!);
