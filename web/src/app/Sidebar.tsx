// The list of spaces and direct messages by section, newest activity first, each with its unread count.
import type { Space } from "./model";
import type { SidebarSection } from "./sections";

interface Props {
  sections: SidebarSection[];
  selected: string | null;
  unread: Record<string, number>;
  /** Muted spaces show no count, only that something is unread. */
  muted: Record<string, boolean>;
  titleOf: (space: Space) => string;
  onSelect: (space: string) => void;
  onNewSpace: () => void;
  onMessagePerson: () => void;
  onNewSection: () => void;
}

function Section({ heading, spaces, props, index }: { heading: string; spaces: Space[]; props: Props; index: number }) {
  const id = `sidebar-section-${index}`;
  return (
    <div class="sidebar-section">
      <h2 id={id}>{heading}</h2>
      {spaces.length === 0 ? <p class="empty">None yet</p> : (
        <ul aria-labelledby={id}>
          {spaces.map((space) => {
            const count = props.unread[space.name] || 0;
            const title = props.titleOf(space);
            const muted = props.muted[space.name];
            const label = [title, muted && "muted", count && (muted ? "unread" : `${count} unread`)]
              .filter(Boolean).join(", ");
            return (
              <li key={space.name}>
                <button type="button" class={`space${count && !muted ? " unread" : ""}${muted ? " muted" : ""}`}
                        data-space={space.name}
                        aria-current={props.selected === space.name ? "page" : undefined}
                        aria-label={label}
                        onClick={() => props.onSelect(space.name)}>
                  <span class="space-name">{title}</span>
                  {muted && <span class="muted-mark" aria-hidden="true">muted</span>}
                  {count > 0 && !muted && <span class="badge" aria-hidden="true">{count > 99 ? "99+" : count}</span>}
                  {count > 0 && muted && <span class="dot" aria-hidden="true" />}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export function Sidebar(props: Props) {
  return (
    <nav class="sidebar" aria-label="Spaces and direct messages">
      <div class="sidebar-actions">
        <button type="button" onClick={props.onNewSpace}>New space</button>
        <button type="button" onClick={props.onMessagePerson}>Message a person</button>
        <button type="button" onClick={props.onNewSection}>New section</button>
      </div>
      {props.sections.map((section, i) => (
        <Section key={section.id} heading={section.title} spaces={section.spaces} props={props} index={i} />
      ))}
    </nav>
  );
}
