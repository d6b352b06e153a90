import "./app/entryStarted.ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { answered, askEarly } from "./app/firstScreen.ts";
import { loadFonts } from "./app/fonts.ts";
import { markStep } from "./app/marks.ts";
import "./styles/base.css";
import "./styles/shell.css";
import "./styles/pages.css";

// Every module of the entry chunk has run by now.
markStep("ui: modules evaluated");

// What the first screen shows is asked for now, with the app's fonts, and the first render waits
// a moment for both, so that the first frame is the dashboard with its bots, in its own type
// (see app/firstScreen.ts and app/fonts.ts). Both take a few milliseconds; if either is slower
// than this, the window shows what it has and fills in the rest. Rust is asked first: loading
// the faces decodes them on this thread, which Rust's answers need not wait for.
const FIRST_SCREEN_WAIT_MS = 250;
askEarly();
const fonts = loadFonts(FIRST_SCREEN_WAIT_MS);
await Promise.all([answered(FIRST_SCREEN_WAIT_MS), fonts]);
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
