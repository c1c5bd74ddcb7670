// Message search across the user's spaces (SearchMessages on `spaces/-`): the words typed are the query, so
// Chat's search conditions (`sender.name = "users/…"`, `has_link()`, ...) work too.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { Markup } from "./markup";
import type { Message, Space } from "./model";
import { clockTime, spaceOf } from "./model";
import { learnFromMessage, nameOf } from "./people";

interface Props {
  query: string;
  me: string;
  spaces: Space[];
  titleOf: (space: Space) => string;
  onOpen: (space: string) => void;
  onClose: () => void;
}

export function SearchResults({ query, me, spaces, titleOf, onOpen, onClose }: Props) {
  const [results, setResults] = useState<Message[] | null>(null);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    setResults(null);
    setProblem("");
    api("POST", "/v1/spaces/-/messages:search", { filter: query, pageSize: 50 }).then((answer: any) => {
      const found: Message[] = (answer.results || []).map((r: any) => r.message).filter(Boolean);
      found.forEach(learnFromMessage);
      setResults(found);
    }, (error) => setProblem(error.message));
  }, [query]);
  const spaceTitle = (name: string) => {
    const space = spaces.find((s) => s.name === name);
    return space ? titleOf(space) : "A space";
  };
  return (
    <section class="search-results" aria-labelledby="search-title">
      <header class="conversation-header">
        <h2 id="search-title">Results for “{query}”</h2>
        <button type="button" onClick={onClose}>Close search</button>
      </header>
      {problem && <p class="problem" role="alert">{problem}</p>}
      <p class="visually-hidden" role="status">
        {results === null ? "" : `${results.length} ${results.length === 1 ? "message" : "messages"} found`}
      </p>
      <ol class="messages">
        {results === null && !problem ? <li class="empty">Searching…</li>
          : results?.length === 0 ? <li class="empty">No messages found.</li>
          : results?.map((m) => {
            const space = spaceOf(m.name);
            return (
              <li key={m.name} class="message result">
                <div class="meta">
                  <span class="sender">{m.sender?.name === me ? "You" : nameOf(m.sender)}</span>
                  <span>in {spaceTitle(space)}</span>
                  <time dateTime={m.createTime}>{clockTime(m.createTime)}</time>
                </div>
                <div class="text"><Markup text={m.text || ""} annotations={m.annotations} me={me} /></div>
                <button type="button" class="link" onClick={() => onOpen(space)}>Open {spaceTitle(space)}</button>
              </li>
            );
          })}
      </ol>
    </section>
  );
}
