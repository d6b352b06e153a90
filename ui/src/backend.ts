/**
 * The only module that talks to the Rust side.
 *
 * Components and hooks import from here, never from `./bindings` or `@tauri-apps/api`
 * (ESLint enforces it), so that a command's rename or new argument changes one file. The
 * signatures and types come from `./bindings`, which is generated from the Rust commands:
 * nothing here re-declares a Rust type by hand.
 */
import {
  commands,
  type AppInfo,
  type MovedAside_Serialize,
  type OpenStore_Serialize,
  type StoreProblem,
  type StoreProblemCode,
  type StoreStatus_Serialize,
} from "./bindings.ts";

export type { AppInfo, StoreProblem, StoreProblemCode };
/** Whether the store is open, and what it holds or why not (as Rust sends it). */
export type StoreStatus = StoreStatus_Serialize;
/** The open store (as Rust sends it). */
export type OpenStore = OpenStore_Serialize;
/** What moving a bad file aside did (as Rust sends it). */
export type MovedAside = MovedAside_Serialize;

/** The app's version and the folder that holds its data. */
export function appInfo(): Promise<AppInfo> {
  return commands.appInfo();
}

/** Whether the store is open, and what it holds or why it could not be opened. */
export function storeStatus(): Promise<StoreStatus> {
  return commands.storeStatus();
}

/**
 * Moves a store file that is not a database, or is damaged, aside (kept, never deleted) and
 * opens a fresh one. Rejects with the `StoreProblem` Rust returns when that is refused or fails.
 */
export async function moveAsideAndStartFresh(): Promise<MovedAside> {
  const result = await commands.moveAsideAndStartFresh();
  if (result.status === "error") {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the UI reads `.message` and `.code`
    throw result.error;
  }
  return result.data;
}
