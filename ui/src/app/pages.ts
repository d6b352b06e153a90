/** The top-level screens reachable from the sidebar, in sidebar order. */
export const PAGES = [
  { id: "dashboard", label: "Dashboard" },
  { id: "channels", label: "Channels" },
  { id: "settings", label: "Settings" },
] as const;

export type PageId = (typeof PAGES)[number]["id"];
