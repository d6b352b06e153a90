/**
 * The builder's calls to Rust: dashboard, templates, canvas, channels and settings.
 *
 * Each wrapper resolves with the view Rust computed, or rejects with the `EditorError` Rust
 * returned (`{code, message, field}`), so a caller shows the message by its field. Nothing here
 * decides anything: names, URLs and rules are checked on the Rust side.
 */
import {
  commands,
  type AccountInput,
  type AccountView_Serialize,
  type Added_Serialize,
  type BlockCard_Serialize,
  type BlockKind,
  type BlockStatus,
  type BotCard,
  type BotView_Serialize,
  type ChannelBadge,
  type ChannelKind,
  type ChannelRow_Serialize,
  type ChannelsView_Serialize,
  type EditorErrorCode,
  type EditorError_Serialize,
  type ExportReceipt_Serialize,
  type ImportAnswer,
  type FlowView_Serialize,
  type SequenceView_Serialize,
  type SettingChange,
  type SettingsView_Serialize,
  type TemplateCard,
  type TemplateId,
} from "../bindings.ts";
import { unwrap } from "./result.ts";

export type {
  AccountInput,
  BlockKind,
  BlockStatus,
  BotCard,
  ChannelBadge,
  ChannelKind,
  EditorErrorCode,
  SettingChange,
  TemplateCard,
  TemplateId,
};
// Views as Rust sends them (the `_Serialize` side of each generated type).
export type AccountView = AccountView_Serialize;
export type Added = Added_Serialize;
export type BlockCard = BlockCard_Serialize;
export type BotView = BotView_Serialize;
export type ChannelRow = ChannelRow_Serialize;
export type ChannelsView = ChannelsView_Serialize;
export type EditorError = EditorError_Serialize;
export type ExportReceipt = ExportReceipt_Serialize;
export type { ImportAnswer };
export type FlowView = FlowView_Serialize;
export type SequenceView = SequenceView_Serialize;
export type SettingsView = SettingsView_Serialize;

/** Whether a rejection is an `EditorError` from Rust. */
export function isEditorError(error: unknown): error is EditorError {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    "message" in error &&
    typeof error.message === "string"
  );
}

/** The message of an `EditorError` that belongs to `field`, if `error` is one. */
export function errorFor(error: unknown, field: string): string | undefined {
  return isEditorError(error) && error.field === field ? error.message : undefined;
}

// Dashboard
export const listBots = (): Promise<BotCard[]> => unwrap(commands.listBots());
export const listTemplates = (): Promise<TemplateCard[]> => commands.listTemplates();
export const createBot = (name: string): Promise<string> => unwrap(commands.createBot(name));
export const createBotFromTemplate = (template: TemplateId): Promise<string> =>
  unwrap(commands.createBotFromTemplate(template));
export const renameBot = (bot: string, name: string): Promise<null> => unwrap(commands.renameBot(bot, name));
export const duplicateBot = (bot: string): Promise<string> => unwrap(commands.duplicateBot(bot));
export const deleteBot = (bot: string): Promise<null> => unwrap(commands.deleteBot(bot));

// Canvas
export const openBot = (bot: string): Promise<BotView> => unwrap(commands.openBot(bot));
export const addBlock = (bot: string, sequence: string, kind: BlockKind): Promise<Added> =>
  unwrap(commands.addBlock(bot, sequence, kind));
export const addSequence = (bot: string, name: string): Promise<Added> => unwrap(commands.addSequence(bot, name));
export const removeBlock = (bot: string, block: string): Promise<BotView> => unwrap(commands.removeBlock(bot, block));
export const moveBlock = (bot: string, block: string, sequence: string, index: number): Promise<BotView> =>
  unwrap(commands.moveBlock(bot, block, sequence, index));
export const renameBlock = (bot: string, block: string, name: string): Promise<BotView> =>
  unwrap(commands.renameBlock(bot, block, name));
export const renameSequence = (bot: string, sequence: string, name: string): Promise<BotView> =>
  unwrap(commands.renameSequence(bot, sequence, name));

// Channels
export const botChannels = (bot: string): Promise<ChannelsView> => unwrap(commands.botChannels(bot));
export const connectAccount = (bot: string, channel: ChannelKind, account: AccountInput): Promise<ChannelsView> =>
  unwrap(commands.connectAccount(bot, channel, account));
export const removeAccount = (bot: string, channel: ChannelKind, alias: string): Promise<ChannelsView> =>
  unwrap(commands.removeAccount(bot, channel, alias));
export const setIntegration = (bot: string, channel: ChannelKind, active: boolean): Promise<ChannelsView> =>
  unwrap(commands.setIntegration(bot, channel, active));

// Settings
export const readSettings = (): Promise<SettingsView> => unwrap(commands.readSettings());
export const changeSetting = (change: SettingChange): Promise<SettingsView> => unwrap(commands.changeSetting(change));

/** Asks where to save the bot (a native dialog opened by Rust), then writes its document. */
export function exportBot(bot: string, includeSecrets: boolean): Promise<ExportReceipt> {
  return unwrap(commands.exportBot(bot, includeSecrets));
}

/**
 * Imports a bot document: without `path` a native dialog asks for the file. Resolves with
 * `null` when the dialog was cancelled; `alreadyExists` carries the path to import again with
 * `replace` once the designer agreed.
 */
export function importBot(path: string | null, replace: boolean): Promise<ImportAnswer | null> {
  return unwrap(commands.importBot(path, replace));
}
