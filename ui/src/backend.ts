/**
 * The only module that talks to the Rust side.
 *
 * Components and hooks import from here, never from `./bindings` or `@tauri-apps/api`
 * (ESLint enforces it), so that a command's rename or new argument changes one file. The
 * signatures and types come from `./bindings`, which is generated from the Rust commands:
 * nothing here re-declares a Rust type by hand.
 */
import { commands, type AppInfo } from "./bindings.ts";

export type { AppInfo };

/** The app's version and the folder that holds its data. */
export function appInfo(): Promise<AppInfo> {
  return commands.appInfo();
}
