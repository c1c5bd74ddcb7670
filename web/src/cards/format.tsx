// Card text with Google Chat's formatting ("Format text in Google Chat apps"): a few HTML tags are honoured,
// everything else is text. The string is read by a small tokenizer of our own into Preact elements from a
// whitelist: no browser HTML parser ever sees it (not even an inert one, which would still meet its event
// handler attributes), nothing is assigned as HTML, unknown tags keep only their text, and attributes are dropped
// except a checked link target and a checked font colour.
import type { ComponentChildren, VNode } from "preact";

const SIMPLE: Record<string, string> = {
  b: "b", strong: "b", i: "i", em: "i", u: "u", s: "s", strike: "s", del: "s", code: "code", pre: "pre",
  ul: "ul", ol: "ol", li: "li", p: "p", time: "time", font: "font", a: "a",
};
// Whole subtrees dropped, text and all: their text is not meant to be read.
const DROPPED = new Set(["script", "style", "template", "noscript", "iframe", "object", "textarea", "title"]);
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function attributes(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/([a-z][a-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    out[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

interface Node { tag: string; attrs: Record<string, string>; kids: (Node | string)[] }

/** Reads tag-soup text into a tree of whitelisted tags; anything else becomes text or disappears. */
function tokenize(text: string): Node {
  const root: Node = { tag: "", attrs: {}, kids: [] };
  const stack: Node[] = [root];
  const top = () => stack[stack.length - 1];
  const pattern = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-z][a-z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  let last = 0;
  for (let m; (m = pattern.exec(text));) {
    if (m.index > last) top().kids.push(decode(text.slice(last, m.index)));
    last = pattern.lastIndex;
    if (m[2] === undefined) continue; // a comment
    const tag = m[2].toLowerCase();
    if (m[1]) { // a closing tag: close up to its opening, if open
      const at = stack.map((n) => n.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else if (DROPPED.has(tag)) { // skip to its end tag, content and all
      const end = text.toLowerCase().indexOf(`</${tag}`, last);
      const close = end < 0 ? -1 : text.indexOf(">", end);
      last = pattern.lastIndex = close < 0 ? text.length : close + 1;
    } else if (tag === "br") {
      top().kids.push({ tag, attrs: {}, kids: [] });
    } else if (SIMPLE[tag] && !m[3].trim().endsWith("/")) {
      const node: Node = { tag, attrs: attributes(m[3]), kids: [] };
      top().kids.push(node);
      stack.push(node);
    }
    // Any other tag (img, div, ...) is left out; the text around and inside it stays.
  }
  if (last < text.length) top().kids.push(decode(text.slice(last)));
  return root;
}

/** A link target the page may follow: http(s) and mailto only; anything else (javascript:, data:, ...) is null. */
export function safeUrl(raw: unknown): string | null {
  if (typeof raw !== "string" || !raw.trim()) return null;
  try {
    const url = new URL(raw.trim(), window.location.href);
    return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** An image source a card may show: https, http, or data:image (the CSP decides the rest). */
export function safeImage(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const s = raw.trim();
  if (/^data:image\//i.test(s)) return s;
  const url = safeUrl(s);
  return url && url.startsWith("http") ? url : undefined;
}

function toVNodes(node: Node | string, key: number): ComponentChildren {
  if (typeof node === "string") return node;
  const kids = node.kids.map((child, i) => toVNodes(child, i));
  const tag = node.tag;
  if (tag === "br") return <br key={key} />;
  if (tag === "a") {
    const href = safeUrl(node.attrs.href);
    return href
      ? <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">{kids}</a>
      : <span key={key} class="card-inert-link">{kids}</span>;
  }
  if (tag === "font") {
    const color = node.attrs.color ?? "";
    // A style object is applied through the CSSOM (element.style), which the page's CSP allows.
    return COLOR.test(color) ? <span key={key} style={{ color }}>{kids}</span> : <span key={key}>{kids}</span>;
  }
  const Tag = SIMPLE[tag] as any;
  return <Tag key={key}>{kids}</Tag>;
}

// Markdown of TextParagraph.textSyntax MARKDOWN, the small part Chat renders: *bold*, _italic_, ~strike~,
// `code`, [text](url) and <url|text>. Turned into the same whitelisted tags, then read like HTML text.
function markdownToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let out = "";
  const link = /\[([^\]]+)\]\(([^)\s]+)\)|<(https?:[^|>\s]+)\|([^>]+)>/g;
  let last = 0;
  for (let m; (m = link.exec(text));) {
    out += inline(escape(text.slice(last, m.index)));
    const [label, url] = m[1] !== undefined ? [m[1], m[2]] : [m[4], m[3]];
    out += `<a href="${escape(url).replace(/"/g, "&quot;")}">${inline(escape(label))}</a>`;
    last = link.lastIndex;
  }
  return out + inline(escape(text.slice(last)));
}
function inline(s: string): string {
  return s.replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*|\*([^*]+)\*/g, "<b>$1$2</b>")
    .replace(/(^|\W)_([^_]+)_(?=\W|$)/g, "$1<i>$2</i>").replace(/~([^~]+)~/g, "<s>$1</s>");
}

/** Formatted card text as Preact children: newlines become line breaks, the whitelisted tags are kept. */
export function Formatted({ text, syntax }: { text: unknown; syntax?: string }): VNode {
  if (typeof text !== "string" || text === "") return <></>;
  const source = (syntax === "MARKDOWN" ? markdownToHtml(text) : text).replace(/\r?\n/g, "<br>");
  return <>{tokenize(source).kids.map((child, i) => toVNodes(child, i))}</>;
}
