import { createContext } from "react";

export type ToastTone = "info" | "error";

export type ToastApi = { show(message: string, tone?: ToastTone): void };

/** Set by `ToastProvider`; without one, toasts go nowhere (unit tests of a lone component). */
export const ToastContext = createContext<ToastApi>({ show: () => undefined });
