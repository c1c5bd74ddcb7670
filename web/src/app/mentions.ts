// @mentions while typing: the word after an "@" before the caret is matched against the space's members; a pick
// puts "@name" in the text and remembers whom it stands for, and on send each remembered "@name" still in the text
// becomes `<users/{id}>`, the form the API turns into a mention.

export interface Candidate { user: string; label: string }

/** The "@query" ending at `caret`, if the caret is in one: where it starts and what was typed after the "@". */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@<>]{0,30})$/.exec(text.slice(0, caret));
  return match ? { start: caret - match[2].length - 1, query: match[2] } : null;
}

export function matching(candidates: Candidate[], query: string, limit = 6): Candidate[] {
  const q = query.toLowerCase();
  return candidates.filter((c) => c.label.toLowerCase().split(/\s+/).some((word) => word.startsWith(q))
                                  || c.label.toLowerCase().startsWith(q)).slice(0, limit);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The text to send: every picked "@label" still standing as a word becomes `<users/{id}>`. */
export function withMentions(text: string, picked: Candidate[]): string {
  let out = text;
  for (const c of picked) {
    out = out.replace(new RegExp(`(^|\\s)@${escaped(c.label)}(?=$|[\\s.,;:!?)])`, "g"), `$1<${c.user}>`);
  }
  return out;
}
