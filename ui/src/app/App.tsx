import { Suspense, useEffect, useLayoutEffect, useState } from "react";
// The stylesheets in cascade order (main.tsx imports the first three too; each loads once).
import "../styles/base.css";
import "../styles/shell.css";
import "../styles/pages.css";
import "../styles/controls.css";
import "../styles/builder.css";
import "../styles/sync.css";
import { Sidebar } from "../components/shell/Sidebar.tsx";
import { StatusBar } from "../components/shell/StatusBar.tsx";
import { StoreNotice } from "../components/store/StoreNotice.tsx";
import { SyncPill } from "../components/sync/SyncPill.tsx";
import { ToastProvider } from "../components/toast/ToastProvider.tsx";
import { BuilderPage } from "../pages/BuilderPage.tsx";
import { DashboardPage } from "../pages/DashboardPage.tsx";
import { openBotAhead } from "./aheadOfClicks.ts";
import { markStep } from "./marks.ts";
import { channelsPage, conflictsPage, settingsPage } from "./pageLoaders.tsx";
import type { PageId } from "./pages.ts";
import { OpenConflictsContext } from "./OpenConflicts.ts";
import { ReadOnlyContext, readOnlyReason } from "./readOnly.ts";
import { sidebarPage, type Route } from "./routes.ts";
import { useAppInfo, type AppInfoState } from "./useAppInfo.ts";
import { useStore, type StoreState } from "./useStore.ts";
import type { SyncStatusView } from "../backend/sync.ts";
import { useSyncStatus } from "./useSyncStatus.ts";

// The dashboard and the builder (opened next nearly every time, often within a moment) come with
// the window; the other pages' code is fetched once the dashboard is shown (see pageLoaders.tsx).
const ChannelsPage = channelsPage.Component;
const SettingsPage = settingsPage.Component;
const ConflictsPage = conflictsPage.Component;

/** The window's frame: sidebar, the current page, and the status line. */
export function App() {
  const [route, setRoute] = useState<Route>({ page: "dashboard" });
  // The bot last opened: the Channels page shows it when reached from the sidebar.
  const [lastBot, setLastBot] = useState<string | undefined>(undefined);
  const appInfo = useAppInfo();
  const { store, moveAside, refresh } = useStore();
  const sync = useSyncStatus();

  // The first commit (the DOM is there, not yet painted), then its effects (after the frame).
  useLayoutEffect(() => {
    markStep("ui: shell committed");
  }, []);
  useEffect(() => {
    markStep("ui: shell rendered");
  }, []);
  useEffect(() => {
    if (appInfo.status === "ready") markStep("ui: app ready");
  }, [appInfo.status]);

  const go = (next: Route) => {
    // The builder reads its bot as it mounts, in this same render: the read starts first.
    if (next.page === "builder") openBotAhead.ask(next.botId);
    if ((next.page === "builder" || next.page === "channels") && next.botId !== undefined) setLastBot(next.botId);
    setRoute(next);
    refresh();
  };
  const openConflicts = () => {
    go({ page: "conflicts" });
  };
  const navigate = (page: PageId) => {
    go(page === "channels" ? { page, botId: lastBot } : { page });
  };

  return (
    <ToastProvider>
      <div
        className="shell"
        // End-to-end tests and start-up benchmarks wait for this marker.
        data-testid={appInfo.status === "ready" ? "app-ready" : "app-loading"}
        aria-busy={appInfo.status === "loading"}
      >
        <Sidebar
          current={sidebarPage(route)}
          onNavigate={navigate}
          status={
            <SyncPill
              status={sync}
              onOpenConflicts={() => {
                go({ page: "conflicts" });
              }}
              onOpenSettings={() => {
                go({ page: "settings" });
              }}
            />
          }
        />
        <main className={route.page === "builder" ? "shell-main shell-main-builder" : "shell-main"}>
          {store.status === "ready" && store.store.state === "unavailable" ? (
            <StoreNotice problem={store.store} onMoveAside={moveAside} />
          ) : (
            <>
              <StoreBanner store={store} />
              <ReadOnlyContext.Provider value={readOnlyReason(store)}>
                <OpenConflictsContext.Provider value={openConflicts}>
                  <Suspense fallback={<p className="page muted">Loading…</p>}>
                    <CurrentPage route={route} go={go} appInfo={appInfo} sync={sync} />
                  </Suspense>
                </OpenConflictsContext.Provider>
              </ReadOnlyContext.Provider>
            </>
          )}
        </main>
        <StatusBar appInfo={appInfo} store={store} />
      </div>
    </ToastProvider>
  );
}

function CurrentPage({
  route,
  go,
  appInfo,
  sync,
}: {
  route: Route;
  go: (next: Route) => void;
  appInfo: AppInfoState;
  sync: SyncStatusView | undefined;
}) {
  const openBot = (botId: string) => {
    go({ page: "builder", botId });
  };
  switch (route.page) {
    case "dashboard":
      return <DashboardPage onOpenBot={openBot} />;
    case "builder":
      return (
        <BuilderPage
          key={route.botId}
          botId={route.botId}
          initialBlock={route.blockId}
          onBack={() => {
            go({ page: "dashboard" });
          }}
          onOpenChannels={(from) => {
            go({ page: "channels", botId: route.botId, back: from });
          }}
        />
      );
    case "channels": {
      const { botId, back } = route;
      return (
        <ChannelsPage
          botId={botId}
          back={back}
          onPickBot={(id) => {
            go({ page: "channels", botId: id });
          }}
          onOpenBot={openBot}
          onBack={() => {
            if (botId !== undefined) go({ page: "builder", botId, blockId: back?.blockId });
          }}
        />
      );
    }
    case "settings":
      return (
        <SettingsPage
          appInfo={appInfo}
          sync={sync}
          onOpenConflicts={() => {
            go({ page: "conflicts" });
          }}
        />
      );
    case "conflicts":
      return (
        <ConflictsPage
          onDone={() => {
            go({ page: "dashboard" });
          }}
        />
      );
  }
}

/** A calm line above the page: where a moved-aside file was kept, or why the store is read-only. */
function StoreBanner({ store }: { store: StoreState }) {
  if (store.status !== "ready" || store.store.state !== "open") return null;
  const { keptAt } = store;
  const readOnly = readOnlyReason(store);
  if (keptAt === undefined && readOnly === null) return null;
  return (
    <div className="store-banners">
      {keptAt !== undefined && (
        <p className="store-banner" role="status" data-testid="store-kept-at">
          A fresh database was started. The old file was kept at <code>{keptAt}</code>
        </p>
      )}
      {readOnly !== null && (
        <p className="store-banner store-banner-read-only" role="note" data-testid="store-read-only">
          {readOnly} Bots can be opened, copied from and exported; nothing can be changed.
        </p>
      )}
    </div>
  );
}
