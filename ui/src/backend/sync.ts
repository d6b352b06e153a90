/**
 * Remote sync's calls to Rust: the Sync section of Settings, "Test connection", the sync state
 * (and its event), and the conflicts with the designer's choices.
 *
 * Rust decides everything shown here: the pill's words, the connection's answer, the fields of
 * a conflict and whether each differs. A rejection is the `EditorError` Rust returned.
 */
import {
  commands,
  events,
  type ConflictField,
  type ConflictKey,
  type ConflictSide,
  type ConflictView,
  type ConnectionCheck,
  type ConnectionView,
  type FieldChoice,
  type RejectionView,
  type SettingsView_Serialize,
  type SyncInput,
  type SyncState,
  type SyncStatusView_Serialize,
  type SyncTarget,
  type SyncView_Serialize,
} from "../bindings.ts";
import { unwrap } from "./result.ts";

export type {
  ConflictField,
  ConflictKey,
  ConflictSide,
  ConflictView,
  ConnectionCheck,
  ConnectionView,
  FieldChoice,
  RejectionView,
  SyncInput,
  SyncState,
  SyncTarget,
};
export type SyncStatusView = SyncStatusView_Serialize;
export type SyncView = SyncView_Serialize;

/** Checks and saves the Sync section; resolves with the settings after it. */
export const saveSync = (input: SyncInput): Promise<SettingsView_Serialize> => unwrap(commands.saveSync(input));

/**
 * Tries the server as typed (an empty key: the saved one) without saving. Resolves with the
 * answer, whatever it is; rejects only when what was typed breaks a rule (`field` says where).
 */
export const testConnection = (baseUrl: string, newKey: string): Promise<ConnectionView> =>
  unwrap(commands.testConnection(baseUrl, newKey));

/** The sync state now. */
export const syncStatus = (): Promise<SyncStatusView> => commands.syncStatus();

/** Every open conflict. */
export const syncConflicts = (): Promise<ConflictView[]> => unwrap(commands.syncConflicts());

/** Every change the server refused, with its reason and what to do. */
export const syncRejections = (): Promise<RejectionView[]> => unwrap(commands.syncRejections());

/** Forgets a refused change (this computer's data stays); resolves with the ones left. */
export const dismissSyncRejection = (id: number): Promise<RejectionView[]> =>
  unwrap(commands.dismissSyncRejection(id));

/** Keeps the version made of `choices`; resolves with the conflicts left. */
export const resolveConflict = (key: ConflictKey, choices: FieldChoice[]): Promise<ConflictView[]> =>
  unwrap(commands.resolveConflict(key, choices));

/** Calls `handler` at every change of the sync state; resolves with the unsubscribe. */
export async function onSyncStatus(handler: (status: SyncStatusView) => void): Promise<() => void> {
  return events.syncStatusEvent.listen((event) => {
    handler(event.payload.status);
  });
}

/** Calls `handler` with the ids of the bots a pull changed here; resolves with the unsubscribe. */
export async function onRemoteChanges(handler: (bots: string[]) => void): Promise<() => void> {
  return events.remoteChangesEvent.listen((event) => {
    handler(event.payload.bots);
  });
}
