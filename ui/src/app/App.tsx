import { useState } from "react";
import { Sidebar } from "../components/shell/Sidebar.tsx";
import { StatusBar } from "../components/shell/StatusBar.tsx";
import { ChannelsPage } from "../pages/ChannelsPage.tsx";
import { DashboardPage } from "../pages/DashboardPage.tsx";
import { SettingsPage } from "../pages/SettingsPage.tsx";
import type { PageId } from "./pages.ts";
import { useAppInfo, type AppInfoState } from "./useAppInfo.ts";

/** The window's frame: sidebar, the current page, and the status line. */
export function App() {
  const [page, setPage] = useState<PageId>("dashboard");
  const appInfo = useAppInfo();

  return (
    <div
      className="shell"
      // End-to-end tests and start-up benchmarks wait for this marker.
      data-testid={appInfo.status === "ready" ? "app-ready" : "app-loading"}
      aria-busy={appInfo.status === "loading"}
    >
      <Sidebar current={page} onNavigate={setPage} />
      <main className="shell-main" aria-live="polite">
        <CurrentPage page={page} appInfo={appInfo} />
      </main>
      <StatusBar appInfo={appInfo} />
    </div>
  );
}

function CurrentPage({ page, appInfo }: { page: PageId; appInfo: AppInfoState }) {
  switch (page) {
    case "dashboard":
      return <DashboardPage />;
    case "channels":
      return <ChannelsPage />;
    case "settings":
      return <SettingsPage appInfo={appInfo} />;
  }
}
