/**
 * The block panels' calls to Rust: the webhook panel, the message panel and the live test.
 *
 * Every wrapper resolves with the view Rust computed, or rejects with the `{ code, message }`
 * Rust returned (shown with `describeError`). Nothing here decides anything: the panels send
 * the form as typed and render the answer.
 */
import {
  commands,
  events,
  type CapturedRequestEvent_Serialize,
  type CapturedView_Serialize,
  type ChannelKind,
  type ContactHint_Serialize,
  type CopyReceipt,
  type CopyTarget,
  type CurlPair,
  type Environment,
  type FieldProblem_Serialize,
  type FieldRef,
  type ListenStatus,
  type Shell,
  type Mapping_Serialize,
  type MappingRowView,
  type MessagePanel_Serialize,
  type SampleNode_Serialize,
  type SubmitOutcome_Serialize,
  type VariableOption,
  type WebhookForm_Serialize,
  type WebhookPanel_Serialize,
} from "../bindings.ts";
import { unwrap } from "./result.ts";

// What Rust sends, under the names the panels use.
export type {
  ChannelKind,
  CopyReceipt,
  CopyTarget,
  CurlPair,
  Environment,
  FieldRef,
  ListenStatus,
  MappingRowView,
  Shell,
  VariableOption,
};
export type CapturedRequestEvent = CapturedRequestEvent_Serialize;
export type CapturedView = CapturedView_Serialize;
export type ContactHint = ContactHint_Serialize;
export type FieldProblem = FieldProblem_Serialize;
export type Mapping = Mapping_Serialize;
export type MessagePanel = MessagePanel_Serialize;
export type SampleNode = SampleNode_Serialize;
export type SubmitOutcome = SubmitOutcome_Serialize;
export type WebhookForm = WebhookForm_Serialize;
export type WebhookPanel = WebhookPanel_Serialize;

/** The webhook block's panel. */
export function webhookPanel(bot: string, block: string): Promise<WebhookPanel> {
  return unwrap(commands.webhookPanel(bot, block));
}

/**
 * Autosaves the form as typed, based on `base` (the form last sent to be saved, or loaded); the
 * panel after it. Rejects with code `changed_elsewhere` when a teammate changed the block since:
 * nothing was written and the edit waits in Sync conflicts.
 */
export function editWebhookForm(
  bot: string,
  block: string,
  base: WebhookForm,
  form: WebhookForm,
): Promise<WebhookPanel> {
  return unwrap(commands.editWebhookForm(bot, block, base, form));
}

/** Undoes the block's last edit; the panel after it. */
export function undoWebhookEdit(bot: string, block: string): Promise<WebhookPanel> {
  return unwrap(commands.undoWebhookEdit(bot, block));
}

/** Redoes the block's last undone edit; the panel after it. */
export function redoWebhookEdit(bot: string, block: string): Promise<WebhookPanel> {
  return unwrap(commands.redoWebhookEdit(bot, block));
}

/**
 * Chooses the channel of Select Channel (null clears it); Rust keeps the account only if that
 * channel has it. The panel after it.
 */
export function chooseWebhookChannel(bot: string, block: string, channel: ChannelKind | null): Promise<WebhookPanel> {
  return unwrap(commands.chooseWebhookChannel(bot, block, channel));
}

/** Adds a Save in variables row for a path of the sample body; the panel after it. */
export function addMappingForPath(bot: string, block: string, path: string): Promise<WebhookPanel> {
  return unwrap(commands.addMappingForPath(bot, block, path));
}

/** Issues a new token (the old one stops working at once); the panel after it. */
export function rotateToken(bot: string, block: string): Promise<WebhookPanel> {
  return unwrap(commands.rotateToken(bot, block));
}

/** The token itself, for the reveal toggle. */
export function revealToken(bot: string, block: string): Promise<string> {
  return unwrap(commands.revealToken(bot, block));
}

/** Submits the block: accepted or not, with the panel after it. */
export function submitWebhook(bot: string, block: string): Promise<SubmitOutcome> {
  return unwrap(commands.submitWebhook(bot, block));
}

/** Renames a block (webhook or message). */
export async function renameBlock(bot: string, block: string, name: string): Promise<void> {
  await unwrap(commands.renameBlock(bot, block, name));
}

/** Puts a URL, the token or a cURL on the clipboard; what the toast says. */
export function copyToClipboard(bot: string, block: string, target: CopyTarget): Promise<CopyReceipt> {
  return unwrap(commands.copyToClipboard(bot, block, target));
}

/** The message block's panel. */
export function messagePanel(bot: string, block: string): Promise<MessagePanel> {
  return unwrap(commands.messagePanel(bot, block));
}

/** Autosaves a message block's text; the panel after it. */
export function editMessage(bot: string, block: string, text: string): Promise<MessagePanel> {
  return unwrap(commands.editMessage(bot, block, text));
}

/** Starts the development receiver for the bot's webhook blocks. */
export function startListening(bot: string): Promise<ListenStatus> {
  return unwrap(commands.startListening(bot));
}

/** Stops the development receiver. */
export function stopListening(): Promise<ListenStatus> {
  return commands.stopListening();
}

/** Whether the development receiver runs, and for which bot. */
export function listeningStatus(): Promise<ListenStatus> {
  return commands.listeningStatus();
}

/** The block's captured requests, newest first. */
export function capturedRequests(bot: string, block: string): Promise<CapturedView[]> {
  return unwrap(commands.capturedRequests(bot, block));
}

/** One captured request traced again through the block's current mappings. */
export function replayRequest(bot: string, block: string, request: number): Promise<CapturedView> {
  return unwrap(commands.replayRequest(bot, block, request));
}

/** Keeps a captured request's body as the block's sample. */
export async function keepAsSample(bot: string, block: string, request: number): Promise<void> {
  await unwrap(commands.useAsSample(bot, block, request));
}

/** Calls `handler` for every request the receiver answers; resolves with the unsubscribe. */
export async function onCapturedRequest(handler: (event: CapturedRequestEvent) => void): Promise<() => void> {
  return events.capturedRequestEvent.listen((event) => {
    handler(event.payload);
  });
}
