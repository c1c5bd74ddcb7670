// A Card: header, sections (collapsible), card actions, fixed footer; and CardsV2, a message's list of cards.
import { useRef, useState } from "preact/hooks";
import { Env, readInputs } from "./context";
import { safeImage } from "./format";
import { Clickable } from "./onclick";
import type { ActionHandler, AutocompleteHandler } from "./types";
import { Button, Widget } from "./widgets";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

function Header({ header }: { header: any }) {
  if (!header || typeof header !== "object") return null;
  const src = safeImage(header.imageUrl);
  return <header class="card-header">
    {src && <img class={"card-header-image" + (header.imageType === "CIRCLE" ? " card-icon-circle" : "")}
                 src={src} alt={str(header.imageAltText)} />}
    <div>
      <div class="card-title" role="heading" aria-level={3}>{str(header.title)}</div>
      {header.subtitle && <div class="card-subtitle">{str(header.subtitle)}</div>}
    </div>
  </header>;
}

function Section({ section }: { section: any }) {
  const widgets = list(section.widgets);
  const keep = Math.max(0, Number(section.uncollapsibleWidgetsCount) || 0);
  const collapsible = !!section.collapsible && widgets.length > keep;
  const [open, setOpen] = useState(false);
  const shown = collapsible && !open ? widgets.slice(0, keep) : widgets;
  const control = section.collapseControl ?? {};
  const toggle = open ? control.collapseButton : control.expandButton;
  return <section class="card-section" data-collapsible={collapsible ? (open ? "open" : "closed") : undefined}>
    {section.header && <div class="card-section-header">{str(section.header)}</div>}
    {shown.map((w, i) => <Widget key={i} widget={w} />)}
    {collapsible && <div class={"card-collapse card-align-" + str(control.horizontalAlignment || "CENTER").toLowerCase()}>
      <button type="button" class="card-link-button card-collapse-toggle" aria-expanded={open}
              onClick={() => setOpen(!open)}>
        {str(toggle?.text) || (open ? "Show less" : `Show ${widgets.length - keep} more`)}
        <span aria-hidden="true">{open ? " ▴" : " ▾"}</span>
      </button>
    </div>}
  </section>;
}

function CardActions({ actions }: { actions: any[] }) {
  if (!actions.length) return null;
  return <div class="card-actions">
    <Clickable class="card-button card-button-borderless" label="Card actions"
               onClick={{ overflowMenu: { items: actions.map((a) => ({ text: a.actionLabel, onClick: a.onClick })) } }}>
      ⋮
    </Clickable>
  </div>;
}

/** One google.apps.card.v1 Card. Inside CardsV2 or Dialog (which give the shared Env). */
export function Card({ card }: { card: any }) {
  if (!card || typeof card !== "object") {
    return <div class="card card-unsupported" data-widget="unsupported" role="note">Card not shown: not an object</div>;
  }
  const sections = list(card.sections);
  const footer = card.fixedFooter;
  return <article class={"card" + (card.sectionDividerStyle === "NO_DIVIDER" ? " card-no-dividers" : "")}
                  data-card={str(card.name) || undefined}>
    <CardActions actions={list(card.cardActions)} />
    <Header header={card.header} />
    {sections.map((s, i) => <Section key={i} section={s ?? {}} />)}
    {footer && (footer.primaryButton || footer.secondaryButton) && <footer class="card-footer">
      {footer.secondaryButton && <Button button={footer.secondaryButton} />}
      {footer.primaryButton && <Button button={{ type: "FILLED", ...footer.primaryButton }} />}
    </footer>}
  </article>;
}

export interface CardsV2Props {
  /** A message's `cardsV2`: [{cardId, card}], or bare cards. */
  cards: any[];
  /** Clicks (Action) and input changes (onChangeAction); a returned promise shows the control busy. */
  onAction?: ActionHandler;
  /** Suggestions for inputs with an autocomplete action or an external data source. */
  onAutocomplete?: AutocompleteHandler;
}

/** A message's cardsV2. All its inputs form one form: every click carries the values of all of them. */
export function CardsV2({ cards, onAction, onAutocomplete }: CardsV2Props) {
  const root = useRef<HTMLDivElement>(null);
  return <div class="cards" ref={root}>
    {list(cards).map((entry, i) => {
      const withId = entry && typeof entry === "object" && "card" in entry;
      const card = withId ? entry.card : entry;
      const cardId = withId ? str(entry.cardId) : "";
      return <Env.Provider key={cardId || i} value={{
        onAction, onAutocomplete, cardId: cardId || undefined, formInputs: () => readInputs(root.current),
      }}>
        <Card card={card} />
      </Env.Provider>;
    })}
  </div>;
}

/** A message's accessoryWidgets ([{buttonList}]): buttons under the message, clicked like a card's. */
export function AccessoryWidgets({ widgets, onAction }: { widgets: any[]; onAction?: ActionHandler }) {
  return <Env.Provider value={{ onAction, formInputs: () => ({}) }}>
    <div class="card-accessory">{list(widgets).map((w, i) => <Widget key={i} widget={w} allowed={["buttonList"]} />)}</div>
  </Env.Provider>;
}
