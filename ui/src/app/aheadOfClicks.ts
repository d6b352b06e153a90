import { openBot } from "../backend/builder.ts";
import { messagePanel, webhookPanel } from "../backend/panel.ts";
import { askAhead } from "./askAhead.ts";

// Each call is looked up when made, not when this module loads (a test may mock only some).

/** The bot the builder opens: asked for by the click that opens it (App's navigation). */
export const openBotAhead = askAhead((bot: string) => openBot(bot));
/** A block's panel: asked for by the click that selects the block (the builder's canvas). */
export const webhookPanelAhead = askAhead((bot: string, block: string) => webhookPanel(bot, block));
export const messagePanelAhead = askAhead((bot: string, block: string) => messagePanel(bot, block));
