import { useId, type ReactNode } from "react";

import { Icon, type IconName } from "./Icon.tsx";

/** A page's "nothing here yet" card: an icon, a title and what happens next. */
export function EmptyState({
  icon,
  title,
  children,
}: {
  icon: IconName;
  title: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="empty-state" aria-labelledby={titleId}>
      <div className="empty-state-icon">
        <Icon name={icon} size={28} />
      </div>
      <h2 id={titleId}>{title}</h2>
      {children}
    </section>
  );
}
