import type { ReactNode } from "react";

export function PageHeader({ title, lead }: { title: string; lead: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <p className="page-lead">{lead}</p>
    </header>
  );
}
