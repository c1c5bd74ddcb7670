// The shapes the client reads from the REST API (proto3 JSON, read defensively) and small pure helpers on them.
import type { Annotation } from "./markup";

export interface User { name?: string; displayName?: string; type?: string }

export interface Space {
  name: string;
  displayName?: string;
  spaceType?: "SPACE" | "GROUP_CHAT" | "DIRECT_MESSAGE" | string;
  lastActiveTime?: string;
  createTime?: string;
}

export interface Message {
  name: string;
  sender?: User;
  createTime?: string;
  lastUpdateTime?: string;
  text?: string;
  annotations?: Annotation[];
  cardsV2?: any[];
  accessoryWidgets?: any[];
  thread?: { name?: string };
  threadReply?: boolean;
  emojiReactionSummaries?: { emoji?: { unicode?: string }; reactionCount?: number }[];
  privateMessageViewer?: User;
  attachment?: any[];
}

/** A live event as the stream sends it (chatsvc.live.v1.LiveEvent in proto3 JSON). */
export interface LiveEvent {
  resumeToken?: string;
  opened?: boolean;
  space?: string;
  eventType?: string;
  resourceName?: string;
  eventTime?: string;
  spaceEvent?: any;
}

export const isDm = (space: Space) => space.spaceType === "DIRECT_MESSAGE";

/** Newest activity first; a space never active sorts by its creation. */
export function byActivity(a: Space, b: Space): number {
  return (b.lastActiveTime || b.createTime || "").localeCompare(a.lastActiveTime || a.createTime || "");
}

/** Timestamps compare as strings only at the same precision: as numbers (milliseconds) plus the microseconds. */
export function timeKey(time: string | undefined): number {
  if (!time) return 0;
  const fraction = /\.(\d+)Z$/.exec(time)?.[1] || "";
  const micros = Number((fraction + "000000").slice(0, 6));
  return Math.floor(Date.parse(time) / 1000) * 1e6 + micros;
}

export function byCreateTime(a: Message, b: Message): number {
  return timeKey(a.createTime) - timeKey(b.createTime) || a.name.localeCompare(b.name);
}

export function spaceOf(resource: string): string {
  return resource.split("/").slice(0, 2).join("/");
}

export function clockTime(time: string | undefined): string {
  if (!time) return "";
  const date = new Date(time);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
