import { useContext } from "react";
import { ToastContext, type ToastApi } from "./ToastContext.ts";

/** Shows a short message at the bottom of the window: `show("Copied")`, `show(message, "error")`. */
export function useToast(): ToastApi {
  return useContext(ToastContext);
}
