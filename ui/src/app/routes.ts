import type { PageId } from "./pages.ts";

/** Where the window is: a page, and for the builder and Channels, which bot. */
export type Route =
  | { page: "dashboard" }
  | { page: "builder"; botId: string; blockId?: string | undefined }
  | {
      page: "channels";
      botId?: string | undefined;
      /** Set when a webhook block's "no channel" warning led here: the way back to it. */
      back?: { blockId: string; blockName: string } | undefined;
    }
  | { page: "settings" }
  | { page: "conflicts" };

/** The sidebar entry a route belongs to. */
export function sidebarPage(route: Route): PageId {
  if (route.page === "builder") return "dashboard";
  // Conflicts come from sync, which is set up in Settings.
  if (route.page === "conflicts") return "settings";
  return route.page;
}
