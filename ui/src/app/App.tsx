import { useState } from "react";
import { Sidebar } from "../components/shell/Sidebar.tsx";
import { StatusBar } from "../components/shell/StatusBar.tsx";
import { StoreNotice } from "../components/store/StoreNotice.tsx";
import { ChannelsPage } from "../pages/ChannelsPage.tsx";
import { DashboardPage } from "../pages/DashboardPage.tsx";
import { SettingsPage } from "../pages/SettingsPage.tsx";
import type { PageId } from "./pages.ts";
import { useAppInfo, type AppInfoState } from "./useAppInfo.ts";
import { useStore, type StoreState } from "./useStore.ts";

/** The window's frame: sidebar, the current page, and the status line. */
export function App() {
  const [page, setPage] = useState<PageId>("dashboard");
  const appInfo = useAppInfo();
  const { store, moveAside } = useStore();

  return (
    <div
      className="shell"
      // End-to-end tests and start-up benchmarks wait for this marker.
      data-testid={appInfo.status === "ready" ? "app-ready" : "app-loading"}
      aria-busy={appInfo.status === "loading"}
    >
      <Sidebar current={page} onNavigate={setPage} />
      <main className="shell-main" aria-live="polite">
        {store.status === "ready" && store.store.state === "unavailable" ? (
          <StoreNotice problem={store.store} onMoveAside={moveAside} />
        ) : (
          <>
            <StoreBanner store={store} />
            <CurrentPage page={page} appInfo={appInfo} />
          </>
        )}
      </main>
      <StatusBar appInfo={appInfo} store={store} />
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

/** A calm line above the page: where a moved-aside file was kept, or why the store is read-only. */
function StoreBanner({ store }: { store: StoreState }) {
  if (store.status !== "ready" || store.store.state !== "open") return null;
  const { keptAt } = store;
  const { readOnlyReason } = store.store;
  if (keptAt === undefined && readOnlyReason === null) return null;
  return (
    <div className="store-banners">
      {keptAt !== undefined && (
        <p className="store-banner" role="status" data-testid="store-kept-at">
          A fresh database was started. The old file was kept at <code>{keptAt}</code>
        </p>
      )}
      {readOnlyReason !== null && (
        <p className="store-banner store-banner-read-only" role="note" data-testid="store-read-only">
          {readOnlyReason}
        </p>
      )}
    </div>
  );
}
