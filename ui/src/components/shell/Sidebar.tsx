import type { ReactNode } from "react";
import logo from "../../assets/logo.svg";
import { PAGES, type PageId } from "../../app/pages.ts";
import { Icon } from "../common/Icon.tsx";

type SidebarProps = {
  current: PageId;
  onNavigate: (page: PageId) => void;
  /** Shown under the app's name on every page: the sync state. */
  status?: ReactNode;
};

export function Sidebar({ current, onNavigate, status }: SidebarProps) {
  return (
    <aside className="sidebar">
      <div className="sidebar-header">
        <div className="sidebar-brand">
          <img src={logo} alt="" width={28} height={28} />
          <span>Webhook Studio</span>
        </div>
        {status}
      </div>
      <nav aria-label="Main">
        <ul className="sidebar-nav">
          {PAGES.map((page) => (
            <li key={page.id}>
              <button
                type="button"
                className="sidebar-link"
                aria-current={page.id === current ? "page" : undefined}
                onClick={() => {
                  onNavigate(page.id);
                }}
              >
                <Icon name={page.id} />
                {page.label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </aside>
  );
}
