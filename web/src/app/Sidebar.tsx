// The list of spaces and direct messages, newest activity first, each with its unread count.
import type { Space } from "./model";
import { isDm } from "./model";

interface Props {
  spaces: Space[];
  selected: string | null;
  unread: Record<string, number>;
  titleOf: (space: Space) => string;
  onSelect: (space: string) => void;
  onNewSpace: () => void;
  onMessagePerson: () => void;
}

function Section({ heading, spaces, props }: { heading: string; spaces: Space[]; props: Props }) {
  const id = `section-${heading.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <div class="sidebar-section">
      <h2 id={id}>{heading}</h2>
      {spaces.length === 0 ? <p class="empty">None yet</p> : (
        <ul aria-labelledby={id}>
          {spaces.map((space) => {
            const count = props.unread[space.name] || 0;
            const title = props.titleOf(space);
            return (
              <li key={space.name}>
                <button type="button" class={count ? "space unread" : "space"} data-space={space.name}
                        aria-current={props.selected === space.name ? "page" : undefined}
                        aria-label={count ? `${title}, ${count} unread` : title}
                        onClick={() => props.onSelect(space.name)}>
                  <span class="space-name">{title}</span>
                  {count > 0 && <span class="badge" aria-hidden="true">{count > 99 ? "99+" : count}</span>}
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
      </div>
      <Section heading="Direct messages" spaces={props.spaces.filter(isDm)} props={props} />
      <Section heading="Spaces" spaces={props.spaces.filter((s) => !isDm(s))} props={props} />
    </nav>
  );
}
