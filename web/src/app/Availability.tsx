// The signed-in user's availability (Active, Away, Do not disturb for a while): read on sign-in, set with
// Chat's MarkAs* calls; what shows is the state the server answers.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";

// value shown, label, the call that sets it and its body. Do not disturb always ends (the API wants an expiry).
const CHOICES: [string, string, string, object][] = [
  ["ACTIVE", "Active", "markAsActive", {}],
  ["AWAY", "Away", "markAsAway", {}],
  ["DND_1H", "Do not disturb for 1 hour", "markAsDoNotDisturb", { ttl: "3600s" }],
  ["DND_8H", "Do not disturb for 8 hours", "markAsDoNotDisturb", { ttl: "28800s" }],
];

export function Availability() {
  const [state, setState] = useState<string | null>(null);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    api("GET", "/v1/users/me/availability").then((a: any) => setState(a.state === "IDLE" ? "ACTIVE" : a.state),
                                                  () => setState(null));
  }, []);
  if (state === null) return null;
  async function choose(next: string) {
    const [, , call, body] = CHOICES.find(([value]) => value === next)!;
    setProblem("");
    try {
      const answer: any = await api("POST", `/v1/users/me/availability:${call}`, body);
      setState(answer.state);
    } catch (error: any) {
      setProblem(error.message);
    }
  }
  return (
    <span class={`availability availability-${state.toLowerCase()}`}>
      <select aria-label="Your availability" value={state}
              onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
        <option value="DO_NOT_DISTURB" disabled hidden>Do not disturb</option>
        {CHOICES.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
      {problem && <span class="problem" role="alert">{problem}</span>}
    </span>
  );
}
