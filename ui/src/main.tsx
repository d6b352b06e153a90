import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { answered, askEarly } from "./app/firstScreen.ts";
import { markStep } from "./app/marks.ts";
import "./styles/base.css";
import "./styles/shell.css";
import "./styles/pages.css";

// Every module of the entry chunk has run by now.
markStep("ui: modules evaluated");

// What the first screen shows is asked for now, and the first render waits a moment for it, so
// that the first frame is the dashboard with its bots (see app/firstScreen.ts). Rust answers in
// a few milliseconds; if it is slower than this, the window shows the shell and fills it in.
const FIRST_SCREEN_WAIT_MS = 250;
askEarly();
await answered(FIRST_SCREEN_WAIT_MS);
markStep("ui: first screen answered");

const container = document.getElementById("root");
if (container === null) {
  throw new Error("index.html has no #root element");
}

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
