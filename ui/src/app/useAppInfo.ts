import { useEffect, useState } from "react";
import type { AppInfo } from "../backend.ts";
import { describeError } from "../errors/describeError.ts";
import { firstAnswer, release, settledAnswer } from "./firstScreen.ts";

export type AppInfoState =
  | { status: "loading" }
  | { status: "ready"; info: AppInfo }
  | { status: "failed"; message: string };

/** Loads the app's version and data folder once, when the shell mounts. */
export function useAppInfo(): AppInfoState {
  // The answer main.tsx asked for before the first render, when it has come.
  const [early] = useState(() => settledAnswer("appInfo"));
  const [state, setState] = useState<AppInfoState>(() => {
    if (early === undefined) return { status: "loading" };
    return early.ok ? { status: "ready", info: early.value } : { status: "failed", message: describeError(early.error) };
  });

  useEffect(() => {
    if (early !== undefined) {
      release("appInfo");
      return;
    }
    let current = true;
    firstAnswer("appInfo").then(
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
  }, [early]);

  return state;
}
