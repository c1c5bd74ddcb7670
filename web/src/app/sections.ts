// The user's sidebar sections (Chat's Section API): custom sections hold the spaces put there; a space in none
// of them sits in its default section (direct messages and group chats, or spaces).
import { api, listAll } from "../api";
import type { Space } from "./model";
import { isDm } from "./model";

export interface SectionInfo { name: string; title: string; type: string; sortOrder: number }
export interface SidebarSection { id: string; title: string; spaces: Space[] }

const DEFAULT_TITLES: Record<string, string> = {
  DEFAULT_DIRECT_MESSAGES: "Direct messages", DEFAULT_SPACES: "Spaces", DEFAULT_APPS: "Apps",
};

/** The sections in their order, and which space is in which custom section. */
export async function loadSections(): Promise<{ sections: SectionInfo[]; placed: Record<string, string> }> {
  const list = await listAll<any>("/v1/users/me/sections", "sections");
  const sections = list.map((s) => ({
    name: s.name, type: s.type, sortOrder: s.sortOrder || 0,
    title: s.type === "CUSTOM_SECTION" ? s.displayName || "Section" : DEFAULT_TITLES[s.type] || "Section",
  })).sort((a, b) => a.sortOrder - b.sortOrder);
  const placed: Record<string, string> = {};
  await Promise.all(sections.filter((s) => s.type === "CUSTOM_SECTION").map(async (section) => {
    const items = await listAll<any>(`/v1/${section.name}/items`, "sectionItems", { pageSize: 100 });
    items.forEach((item) => { if (item.space) placed[item.space] = section.name; });
  }));
  return { sections, placed };
}

/** What the sidebar shows: each section with its spaces (the default ones even when empty). */
export function group(spaces: Space[], sections: SectionInfo[], placed: Record<string, string>): SidebarSection[] {
  const shown = sections.length ? sections : [
    { name: "dm", title: "Direct messages", type: "DEFAULT_DIRECT_MESSAGES", sortOrder: 0 },
    { name: "spaces", title: "Spaces", type: "DEFAULT_SPACES", sortOrder: 1 },
  ];
  return shown.filter((s) => s.type !== "DEFAULT_APPS").map((section) => ({
    id: section.name,
    title: section.title,
    spaces: spaces.filter((space) => {
      const custom = placed[space.name];
      if (section.type === "CUSTOM_SECTION") return custom === section.name;
      if (custom && sections.some((s) => s.name === custom)) return false;
      return section.type === "DEFAULT_DIRECT_MESSAGES" ? isDm(space) || space.spaceType === "GROUP_CHAT"
        : !isDm(space) && space.spaceType !== "GROUP_CHAT";
    }),
  }));
}

export async function createSection(title: string): Promise<void> {
  await api("POST", "/v1/users/me/sections", { displayName: title, type: "CUSTOM_SECTION" });
}

/** Moves `space` into `target` (a section's name). */
export async function moveToSection(space: string, target: string): Promise<void> {
  const found: any = await api("GET", `/v1/users/me/sections/-/items?filter=${encodeURIComponent(`space = ${space}`)}`);
  const item = found.sectionItems?.[0]?.name;
  if (!item) throw new Error("This space is in no section to move it from.");
  await api("POST", `/v1/${item}:move`, { targetSection: target });
}
