/** The few line icons the shell uses, drawn on a 20×20 grid in the current text colour. */
const PATHS = {
  dashboard: "M3.5 3.5h5v5h-5zM11.5 3.5h5v5h-5zM3.5 11.5h5v5h-5zM11.5 11.5h5v5h-5z",
  channels:
    "M4 4.5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H9l-3.5 3v-3H4a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1zM6.5 8h7M6.5 10.5h4.5",
  settings:
    "M3.5 6h8M15 6h1.5M3.5 14h2M9 14h7.5M13.25 4.25v3.5M7.25 12.25v3.5",
  bots: "M6 7.5h8a2 2 0 0 1 2 2v4a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-4a2 2 0 0 1 2-2zM10 7.5V4.5M8 11.5h.01M12 11.5h.01",
  database:
    "M4 5.5c0-1.1 2.7-2 6-2s6 .9 6 2-2.7 2-6 2-6-.9-6-2zM4 5.5v9c0 1.1 2.7 2 6 2s6-.9 6-2v-9M4 10c0 1.1 2.7 2 6 2s6-.9 6-2",
  plug: "M7 3.5v4M13 3.5v4M5.5 7.5h9v2.5a4.5 4.5 0 0 1-9 0zM10 14.5v2.5",
  webhook:
    "M8 6.5a2.5 2.5 0 1 1 3.6 2.25L14 13M5.2 10.8a2.5 2.5 0 1 0 3.8 2.2h5.5M14.5 15.5a2.5 2.5 0 1 0-1-4.8L11 6.5",
  message: "M4 5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-6l-4 3v-3H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z",
  plus: "M10 4.5v11M4.5 10h11",
  trash: "M4.5 6h11M8 6V4.5h4V6M6 6l.7 9.5h6.6L14 6M8.5 8.5v4.5M11.5 8.5v4.5",
  copy: "M7 7h8.5v8.5H7zM4.5 12.5V4.5h8",
  pencil: "M4 16l1-3.5 8-8 2.5 2.5-8 8zM11.5 6l2.5 2.5",
  back: "M11.5 5L6.5 10l5 5",
  up: "M10 15.5v-11M5.5 9L10 4.5 14.5 9",
  down: "M10 4.5v11M5.5 11l4.5 4.5 4.5-4.5",
  warning: "M10 3.5l7 12.5H3zM10 8.5v3.5M10 14.2h.01",
  sequence: "M4 4h12v3H4zM4 8.5h12v3H4zM4 13h12v3H4z",
  close: "M5.5 5.5l9 9M14.5 5.5l-9 9",
  download: "M10 3.5v9M6 9l4 4 4-4M4 16.5h12",
  upload: "M10 13.5v-9M6 8l4-4 4 4M4 16.5h12",
  undo: "M7.5 5L4 8.5 7.5 12M4 8.5h8a4 4 0 0 1 0 8h-2",
  redo: "M12.5 5L16 8.5 12.5 12M16 8.5H8a4 4 0 0 0 0 8h2",
  "arrow-right": "M4.5 10h11M11 5.5l4.5 4.5-4.5 4.5",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
