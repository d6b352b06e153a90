import { markStep } from "./marks.ts";

// Imported first by main.tsx, so evaluated first: every module of the entry chunk has been
// fetched and parsed by now, and none but this one has run.
markStep("ui: entry started");
