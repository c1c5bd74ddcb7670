// Chat's message markup as DOM elements, never as HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, links
// written <url|label> or <url>, bare http(s) URLs, and @mentions from the message's annotations. Every piece of
// the text ends up in a text node; only http(s) and mailto links become anchors, anything else stays text.
import type { ComponentChildren } from "preact";

export interface Annotation {
  type?: string;
  startIndex?: number;
  length?: number;
  userMention?: { user?: { name?: string; displayName?: string }; type?: string };
}

/** The href for a link target, or null when it is not a scheme a chat link may use. */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    return url.protocol === "https:" || url.protocol === "http:" || url.protocol === "mailto:" ? url.href : null;
  } catch {
    return null;
  }
}

function link(href: string, label: string, key: number): ComponentChildren {
  return <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">{label}</a>;
}

// One inline token at a time, earliest first: `code`, <target|label>, a bare URL, or *, _, ~ emphasis that
// starts and ends at a word boundary (as Chat's own renderer does, so snake_case_names stay plain).
const INLINE = new RegExp([
  "`([^`\\n]+)`",
  "<([^<>|\\s]+)(?:\\|([^<>]+))?>",
  "(https?://[^\\s<>]+[^\\s<>.,;:!?)\\]'\"])",
  "(?<![\\w*_~])([*_~])(?=\\S)([^\\n]*?\\S)\\5(?![\\w*_~])",
].join("|"), "g");

const EMPHASIS: Record<string, string> = { "*": "strong", "_": "em", "~": "s" };

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(INLINE)) {  // matchAll works on a copy: safe in the recursion below
    if (match.index! > last) out.push(text.slice(last, match.index));
    const [whole, code, target, label, bare, marker, inner] = match;
    if (code !== undefined) {
      out.push(<code key={key++}>{code}</code>);
    } else if (target !== undefined) {
      const href = safeHref(target);
      out.push(href ? link(href, label ?? target, key++) : whole);  // an unsafe target stays as typed, as text
    } else if (bare !== undefined) {
      const href = safeHref(bare);
      out.push(href ? link(href, bare, key++) : bare);
    } else if (marker !== undefined) {
      const Tag = EMPHASIS[marker] as "strong" | "em" | "s";
      out.push(<Tag key={key++}>{inline(inner)}</Tag>);
    }
    last = match.index! + whole.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Text with ```blocks``` set apart, the rest inline. */
function blocks(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const parts = text.split("```");
  // An odd part sits between two fences; an unclosed fence leaves its part as typed.
  parts.forEach((part, i) => {
    const closed = i % 2 === 1 && i < parts.length - 1;
    if (closed) out.push(<pre key={`b${i}`}><code>{part.replace(/^\n/, "")}</code></pre>);
    else out.push(...inline(i % 2 === 1 ? "```" + part : part));
  });
  return out;
}

/** A message's text with its markup and mentions rendered. */
export function Markup({ text, annotations, me }: { text: string; annotations?: Annotation[]; me?: string }) {
  const mentions = (annotations || [])
    .filter((a) => a.type === "USER_MENTION" && a.startIndex !== undefined && a.length)
    .sort((a, b) => a.startIndex! - b.startIndex!);
  const out: ComponentChildren[] = [];
  let at = 0;
  for (const mention of mentions) {
    const start = mention.startIndex!, end = start + mention.length!;
    if (start < at || end > text.length) continue;
    out.push(...blocks(text.slice(at, start)));
    const user = mention.userMention?.user?.name;
    const self = user === me || user === "users/all";
    out.push(<span key={`m${start}`} class={self ? "mention mention-me" : "mention"} data-user={user}>
      {text.slice(start, end)}
    </span>);
    at = end;
  }
  out.push(...blocks(text.slice(at)));
  return <>{out}</>;
}
