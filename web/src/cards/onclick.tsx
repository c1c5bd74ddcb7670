// OnClick {action | openLink | openDynamicLinkAction | card | overflowMenu} turned into what a control does.
import type { ComponentChildren } from "preact";
import { useContext, useState } from "preact/hooks";
import { Env, missingInputs, toCardAction } from "./context";
import { safeUrl } from "./format";
import { Icon } from "./icons";

/** Runs an Action: checks its required inputs, hands it to the host, keeps `setBusy` on while the host works. */
export function useRunAction() {
  const env = useContext(Env);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const run = async (action: any) => {
    const card = toCardAction(action, env);
    const missing = missingInputs(action, card.formInputs);
    if (missing.length) {
      setProblem(`Required: ${missing.join(", ")}`);
      return;
    }
    setProblem("");
    if (!env.onAction || busy) return;
    const spinner = action?.loadIndicator !== "NONE";
    if (spinner) setBusy(true);
    try {
      await env.onAction(card);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      if (spinner) setBusy(false);
    }
  };
  return { run, busy, problem };
}

/** A clickable wrapper for an OnClick: a link for openLink, a button for an action, a menu for overflowMenu. */
export function Clickable({ onClick, class: cls, label, disabled, children, style }: {
  onClick: any; class: string; label?: string; disabled?: boolean; children: ComponentChildren; style?: any;
}) {
  const { run, busy, problem } = useRunAction();
  const [open, setOpen] = useState(false);
  const note = problem ? <span class="card-action-problem" role="alert">{problem}</span> : null;
  if (onClick?.openLink) {
    const href = safeUrl(onClick.openLink.url);
    if (href && !disabled) {
      return <a class={cls} href={href} target="_blank" rel="noopener noreferrer" aria-label={label}
                style={style}>{children}</a>;
    }
    return <span class={cls + " card-disabled"} aria-disabled="true" title="Link not allowed"
                 style={style}>{children}</span>;
  }
  const action = onClick?.action ?? onClick?.openDynamicLinkAction;
  if (action) {
    return <>
      <button type="button" class={cls + (busy ? " card-busy" : "")} aria-label={label} disabled={disabled}
              aria-busy={busy} style={style} onClick={() => run(action)}>{children}</button>
      {note}
    </>;
  }
  if (onClick?.overflowMenu) {
    const items: any[] = Array.isArray(onClick.overflowMenu.items) ? onClick.overflowMenu.items : [];
    return <span class="card-overflow" onKeyDown={(e) => { if (e.key === "Escape") setOpen(false); }}>
      <button type="button" class={cls} aria-label={label} aria-haspopup="menu" aria-expanded={open}
              disabled={disabled} style={style} onClick={() => setOpen(!open)}>{children}</button>
      {open && <span class="card-menu" role="menu">
        {items.map((item, i) => <span key={i} role="none" onClick={() => setOpen(false)}>
          <Clickable onClick={item.onClick} class="card-menu-item" disabled={item.disabled}>
            <Icon icon={item.startIcon} />{String(item.text ?? "")}
          </Clickable>
        </span>)}
      </span>}
    </span>;
  }
  if (onClick?.card) {
    // Pushing a card is for Workspace add-ons; Google Chat does not do it in messages.
    return <span class={cls + " card-disabled"} aria-disabled="true" title="Opens a card (add-ons only)"
                 style={style}>{children}</span>;
  }
  return <span class={cls} style={style}>{children}</span>;
}
