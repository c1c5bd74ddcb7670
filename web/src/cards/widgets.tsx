// The widgets of google.apps.card.v1, one component each. Every widget's outer element carries
// data-widget="<its field name>"; a widget this renderer does not know shows a placeholder naming it.
import { useContext, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { Env } from "./context";
import { Formatted, safeImage } from "./format";
import { Icon } from "./icons";
import { Clickable, useRunAction } from "./onclick";
import type { SuggestionItem } from "./types";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
let nextId = 0;
const useId = (prefix: string) => useMemo(() => `${prefix}-${++nextId}`, []);

/** google.type.Color {red, green, blue, alpha} (0..1) as a CSS colour. */
function cssColor(c: any): string | undefined {
  if (!c || typeof c !== "object") return undefined;
  const ch = (x: unknown) => Math.round(Math.min(1, Math.max(0, Number(x) || 0)) * 255);
  const alpha = c.alpha === undefined ? 1 : Math.min(1, Math.max(0, Number(c.alpha?.value ?? c.alpha) || 0));
  return `rgba(${ch(c.red)}, ${ch(c.green)}, ${ch(c.blue)}, ${alpha})`;
}

export function Button({ button }: { button: any }) {
  if (!button || typeof button !== "object") return null;
  const color = cssColor(button.color);
  const type = str(button.type) || (color ? "FILLED" : "TYPE_UNSPECIFIED");
  const text = str(button.text);
  return <Clickable onClick={button.onClick} class={`card-button card-button-${type.toLowerCase()}`}
                    label={str(button.altText) || undefined} disabled={!!button.disabled}
                    style={color ? { backgroundColor: color, borderColor: color, color: "#fff" } : undefined}>
    <Icon icon={button.icon} />{text && <span>{text}</span>}
  </Clickable>;
}

function TextParagraph({ w }: { w: any }) {
  const lines = Number(w.maxLines) || 0;
  const [open, setOpen] = useState(false);
  const [overflows, setOverflows] = useState(false);
  const text = useRef<HTMLDivElement>(null);
  const clamp = lines > 0 && !open;
  // "Show more" only when the clamp hides something (measured once rendered clamped).
  useLayoutEffect(() => {
    if (clamp && text.current) setOverflows(text.current.scrollHeight > text.current.clientHeight + 1);
  }, [clamp, w.text]);
  return <div class="card-text">
    <div ref={text} class={clamp ? "card-clamp" : undefined} style={clamp ? { WebkitLineClamp: String(lines) } : undefined}>
      <Formatted text={w.text} syntax={w.textSyntax} />
    </div>
    {lines > 0 && (overflows || open) && <button type="button" class="card-link-button" aria-expanded={open}
                                                  onClick={() => setOpen(!open)}>{open ? "Show less" : "Show more"}</button>}
  </div>;
}

function Image({ w }: { w: any }) {
  const src = safeImage(w.imageUrl);
  const img = src ? <img class="card-image" src={src} alt={str(w.altText)} />
    : <span class="card-placeholder">Image not shown: {str(w.imageUrl) || "no URL"}</span>;
  return w.onClick ? <Clickable onClick={w.onClick} class="card-image-link" label={str(w.altText)}>{img}</Clickable>
    : img;
}

function Labelled({ text, plain }: { text: any; plain: unknown }) {
  if (text && typeof text === "object") return <Formatted text={text.text} syntax={text.textSyntax} />;
  return <Formatted text={plain} />;
}

function SwitchControl({ sc }: { sc: any }) {
  const { run } = useRunAction();
  const [on, setOn] = useState(!!sc.selected);
  const kind = sc.controlType === "SWITCH" || !sc.controlType ? "switch" : "checkbox";
  return <input type="checkbox" class={`card-${kind}`} role={kind === "switch" ? "switch" : undefined}
                data-input={str(sc.name)} value={str(sc.value) || "true"} checked={on} aria-label={str(sc.name)}
                onChange={(e) => { setOn((e.target as HTMLInputElement).checked);
                                   if (sc.onChangeAction) run(sc.onChangeAction); }} />;
}

function DecoratedText({ w }: { w: any }) {
  const body = <>
    <Icon icon={w.startIcon ?? w.icon} />
    <span class={"card-decorated-body" + (w.wrapText ? " card-wrap" : " card-nowrap")}>
      {(w.topLabel || w.topLabelText) && <span class="card-label">
        <Labelled text={w.topLabelText} plain={w.topLabel} /></span>}
      <span class="card-decorated-text"><Labelled text={w.contentText} plain={w.text} /></span>
      {(w.bottomLabel || w.bottomLabelText) && <span class="card-label">
        <Labelled text={w.bottomLabelText} plain={w.bottomLabel} /></span>}
    </span>
  </>;
  return <div class="card-decorated">
    {w.onClick ? <Clickable onClick={w.onClick} class="card-decorated-main">{body}</Clickable>
      : <span class="card-decorated-main">{body}</span>}
    {w.button && <Button button={w.button} />}
    {w.switchControl && <SwitchControl sc={w.switchControl} />}
    {w.endIcon && <Icon icon={w.endIcon} />}
  </div>;
}

function ButtonList({ w }: { w: any }) {
  return <div class="card-buttons">{list(w.buttons).map((b, i) => <Button key={i} button={b} />)}</div>;
}

function ChipList({ w }: { w: any }) {
  return <div class={"card-chips" + (w.layout === "HORIZONTAL_SCROLLABLE" ? " card-scroll" : "")}>
    {list(w.chips).map((c, i) => <Clickable key={i} onClick={c.onClick} class="card-chip"
                                            label={str(c.altText) || undefined} disabled={!!c.disabled}>
      <Icon icon={c.icon} />{str(c.label)}
    </Clickable>)}
  </div>;
}

function Suggested({ id, items }: { id: string; items: SuggestionItem[] }) {
  return <datalist id={id}>{items.map((s, i) => <option key={i} value={s.value ?? s.text ?? ""}>{s.text}</option>)}
  </datalist>;
}

function TextInput({ w }: { w: any }) {
  const env = useContext(Env);
  const { run } = useRunAction();
  const id = useId("card-input");
  const initial: SuggestionItem[] = list(w.initialSuggestions?.items).map((s) => ({ text: str(s.text) }));
  const [suggested, setSuggested] = useState<SuggestionItem[] | null>(null);
  const timer = useRef<number>();
  const auto = w.autoCompleteAction;
  const limit = Number(w.validation?.characterLimit) || undefined;
  const inputType = ({ INTEGER: "number", FLOAT: "number", EMAIL: "email" } as any)[w.validation?.inputType] ?? "text";
  const onInput = (e: Event) => {
    const value = (e.target as HTMLInputElement).value;
    if (!auto || !env.onAutocomplete) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(async () => {
      try {
        const items = await env.onAutocomplete!({ widget: str(w.name), value, function: str(auto.function) || undefined,
                                                  formInputs: env.formInputs() });
        if (items) setSuggested(items);
      } catch { /* suggestions are optional: a failed lookup leaves the list as it was */ }
    }, 250);
  };
  const props = {
    id, "data-input": str(w.name), defaultValue: str(w.value), placeholder: str(w.placeholderText) || undefined,
    maxLength: limit, "aria-describedby": w.hintText ? id + "-hint" : undefined, onInput,
    onChange: w.onChangeAction ? () => run(w.onChangeAction) : undefined,
  };
  const items = suggested ?? initial;
  return <div class="card-field">
    {w.label && <label for={id}>{str(w.label)}</label>}
    {w.type === "MULTIPLE_LINE" ? <textarea rows={3} {...props} />
      : <input type={inputType} step={w.validation?.inputType === "FLOAT" ? "any" : undefined}
               list={items.length ? id + "-list" : undefined} autoComplete="off" {...props} />}
    {items.length > 0 && <Suggested id={id + "-list"} items={items} />}
    {w.hintText && <span class="card-hint" id={id + "-hint"}>{str(w.hintText)}</span>}
  </div>;
}

function SelectionInput({ w }: { w: any }) {
  const env = useContext(Env);
  const { run } = useRunAction();
  const id = useId("card-select");
  const name = str(w.name);
  const [extra, setExtra] = useState<SuggestionItem[]>([]);
  const items: any[] = [...list(w.items), ...extra.filter((x) => !list(w.items).some((i) => i.value === x.value))];
  const change = w.onChangeAction ? () => run(w.onChangeAction) : undefined;
  const type = str(w.type) || "CHECK_BOX";
  if (type === "DROPDOWN" || type === "MULTI_SELECT") {
    const source = w.externalDataSource;
    const search = source && env.onAutocomplete ? async (e: Event) => {
      const value = (e.target as HTMLInputElement).value;
      if (value.length < (Number(w.multiSelectMinQueryLength) || 0)) return;
      const found = await env.onAutocomplete!({ widget: name, value, function: str(source.function) || undefined,
                                                formInputs: env.formInputs() }).catch(() => undefined);
      if (found) setExtra(found);
    } : undefined;
    return <div class="card-field">
      {w.label && <label for={id}>{str(w.label)}</label>}
      {search && <input type="search" class="card-select-search" aria-label={`Search ${str(w.label) || name}`}
                        onInput={search} />}
      <select id={id} data-input={name} multiple={type === "MULTI_SELECT"} onChange={change}>
        {type === "DROPDOWN" && !items.some((i) => i.selected) && <option value="">—</option>}
        {items.map((item, i) => <option key={i} value={str(item.value)} selected={!!item.selected}>
          {str(item.text)}</option>)}
      </select>
      {w.platformDataSource && <span class="card-hint">Options from {
        str(w.platformDataSource.commonDataSource) || "the platform"} are not listed here</span>}
    </div>;
  }
  const kind = type === "RADIO_BUTTON" ? "radio" : "checkbox";
  return <fieldset class="card-field card-choices">
    {w.label && <legend>{str(w.label)}</legend>}
    {items.map((item, i) => <label key={i} class="card-choice">
      <input type={kind} name={kind === "radio" ? id : undefined} role={type === "SWITCH" ? "switch" : undefined}
             class={type === "SWITCH" ? "card-switch" : undefined} data-input={name} value={str(item.value)}
             defaultChecked={!!item.selected} onChange={change} />
      {item.startIconUri && safeImage(item.startIconUri) && <img class="card-icon" src={safeImage(item.startIconUri)} alt="" />}
      <span>{str(item.text)}{item.bottomText && <span class="card-label">{str(item.bottomText)}</span>}</span>
    </label>)}
  </fieldset>;
}

function pickerValue(w: any, type: string): string {
  if (w.valueMsEpoch === undefined || w.valueMsEpoch === null) return "";
  const ms = Number(w.valueMsEpoch);
  if (!Number.isFinite(ms)) return "";
  const shifted = new Date(ms + (Number(w.timezoneOffsetDate) || 0) * 60_000).toISOString();
  if (type === "date") return shifted.slice(0, 10);
  if (type === "time") return shifted.slice(11, 16);
  return shifted.slice(0, 16);
}

function DateTimePicker({ w }: { w: any }) {
  const { run } = useRunAction();
  const id = useId("card-date");
  const type = w.type === "DATE_ONLY" ? "date" : w.type === "TIME_ONLY" ? "time" : "datetime-local";
  return <div class="card-field">
    {w.label && <label for={id}>{str(w.label)}</label>}
    <input id={id} type={type} data-input={str(w.name)} data-epoch="" defaultValue={pickerValue(w, type)}
           onChange={w.onChangeAction ? () => run(w.onChangeAction) : undefined} />
  </div>;
}

function Grid({ w }: { w: any }) {
  const columns = Math.max(1, Number(w.columnCount) || 2);
  const bordered = w.borderStyle?.type === "STROKE";
  return <div class="card-grid-wrap">
    {w.title && <div class="card-section-header">{str(w.title)}</div>}
    <div class={"card-grid card-grid-" + Math.min(columns, 6)} role="list">
      {list(w.items).map((item, i) => {
        const src = safeImage(item.image?.imageUri);
        const crop = str(item.image?.cropStyle?.type).toLowerCase();
        const text = <span class="card-grid-text">
          <span class="card-grid-title">{str(item.title)}</span>
          {item.subtitle && <span class="card-label">{str(item.subtitle)}</span>}
        </span>;
        return <div key={i} role="listitem" class={"card-grid-item" + (bordered ? " card-bordered" : "")}>
          <Clickable onClick={w.onClick} class="card-grid-click">
            {item.layout === "TEXT_ABOVE" && text}
            {src && <img class={"card-grid-image card-crop-" + (crop || "square")} src={src}
                         alt={str(item.image?.altText)} />}
            {item.layout !== "TEXT_ABOVE" && text}
          </Clickable>
        </div>;
      })}
    </div>
  </div>;
}

const COLUMN_WIDGETS = ["textParagraph", "image", "decoratedText", "buttonList", "textInput", "selectionInput",
  "dateTimePicker", "chipList"];

function Columns({ w }: { w: any }) {
  return <div class="card-columns">
    {list(w.columnItems).map((col, i) => <div key={i} class={[
      "card-column",
      col.horizontalSizeStyle === "FILL_MINIMUM_SPACE" ? "card-column-min" : "card-column-fill",
      "card-valign-" + (str(col.verticalAlignment) || "CENTER").toLowerCase(),
      "card-align-" + (str(col.horizontalAlignment) || "START").toLowerCase(),
    ].join(" ")}>
      {list(col.widgets).map((cw, j) => <Widget key={j} widget={cw} allowed={COLUMN_WIDGETS} />)}
    </div>)}
  </div>;
}

const NESTED_WIDGETS = ["textParagraph", "buttonList", "image"];

function Carousel({ w }: { w: any }) {
  return <div class="card-carousel" role="list">
    {list(w.carouselCards).map((c, i) => <div key={i} class="card-carousel-card" role="listitem">
      {list(c.widgets).map((nw, j) => <Widget key={j} widget={nw} allowed={NESTED_WIDGETS} />)}
      {list(c.footerWidgets).length > 0 && <div class="card-carousel-footer">
        {list(c.footerWidgets).map((nw, j) => <Widget key={j} widget={nw} allowed={NESTED_WIDGETS} />)}
      </div>}
    </div>)}
  </div>;
}

const RENDERERS: Record<string, (p: { w: any }) => any> = {
  textParagraph: TextParagraph, image: Image, decoratedText: DecoratedText, buttonList: ButtonList,
  textInput: TextInput, selectionInput: SelectionInput, dateTimePicker: DateTimePicker,
  divider: () => <hr class="card-divider" />, grid: Grid, columns: Columns, carousel: Carousel, chipList: ChipList,
};
const NOT_DATA = new Set(["horizontalAlignment"]);

/** One widget (Widget, Columns.Column.Widgets or Card.NestedWidget): its one data field picks the renderer. */
export function Widget({ widget, allowed }: { widget: any; allowed?: string[] }) {
  const kinds = widget && typeof widget === "object" ? Object.keys(widget).filter((k) => !NOT_DATA.has(k)) : [];
  const kind = kinds.find((k) => RENDERERS[k] && (!allowed || allowed.includes(k)));
  const align = "card-align-" + (str(widget?.horizontalAlignment) || "START").toLowerCase();
  if (!kind || kinds.length !== 1) {
    const name = kinds.join(", ") || "empty widget";
    return <div class="card-widget card-unsupported" data-widget="unsupported" data-unsupported={name} role="note">
      Widget not shown: {name}</div>;
  }
  const Render = RENDERERS[kind];
  return <div class={"card-widget " + align} data-widget={kind}><Render w={widget[kind] ?? {}} /></div>;
}
