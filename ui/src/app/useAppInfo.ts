import { useEffect, useState } from "react";
import { appInfo, type AppInfo } from "../backend.ts";
import { describeError } from "../errors/describeError.ts";

export type AppInfoState =
  | { status: "loading" }
  | { status: "ready"; info: AppInfo }
  | { status: "failed"; message: string };

/** Loads the app's version and data folder once, when the shell mounts. */
export function useAppInfo(): AppInfoState {
  const [state, setState] = useState<AppInfoState>({ status: "loading" });

  useEffect(() => {
    let current = true;
    appInfo().then(
      (info) => {
        if (current) setState({ status: "ready", info });
      },
      (error: unknown) => {
        if (current) setState({ status: "failed", message: describeError(error) });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  return state;
}
