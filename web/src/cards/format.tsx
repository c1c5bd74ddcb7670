// Card text with Google Chat's formatting ("Format text in Google Chat apps"): a few HTML tags are honoured,
// everything else is text. The string is parsed by DOMParser into an inert document (no scripts run, no images
// load there) and walked into Preact elements from a whitelist; nothing is ever assigned as HTML, unknown tags
// keep only their text, and attributes are dropped except a checked link target and a checked font colour.
import type { ComponentChildren, VNode } from "preact";

const SIMPLE: Record<string, string> = {
  b: "b", strong: "b", i: "i", em: "i", u: "u", s: "s", strike: "s", del: "s", code: "code", pre: "pre",
  ul: "ul", ol: "ol", li: "li", p: "p", time: "time",
};
// Whole subtrees dropped, text and all: their text is not meant to be read.
const DROPPED = new Set(["script", "style", "template", "noscript", "iframe", "object", "head", "title"]);
const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i;

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

function walk(node: Node, key: number): ComponentChildren {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (DROPPED.has(tag)) return null;
  const kids = Array.from(el.childNodes, (child, i) => walk(child, i));
  if (tag === "br") return <br key={key} />;
  if (tag === "a") {
    const href = safeUrl(el.getAttribute("href"));
    return href
      ? <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">{kids}</a>
      : <span key={key} class="card-inert-link">{kids}</span>;
  }
  if (tag === "font") {
    const color = el.getAttribute("color") ?? "";
    // A style object is applied through the CSSOM (element.style), which the page's CSP allows.
    return COLOR.test(color) ? <span key={key} style={{ color }}>{kids}</span> : <span key={key}>{kids}</span>;
  }
  const Tag = SIMPLE[tag] as any;
  if (Tag) return <Tag key={key}>{kids}</Tag>;
  return kids; // an unknown tag (or html/body): its content only
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
  const doc = new DOMParser().parseFromString(`<body>${source}</body>`, "text/html");
  return <>{Array.from(doc.body.childNodes, (child, i) => walk(child, i))}</>;
}
