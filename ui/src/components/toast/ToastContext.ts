import { createContext } from "react";

export type ToastTone = "info" | "error";

/** A button in a toast: what it says and what it does (the toast closes after it). */
export type ToastAction = { label: string; run: () => void };

/**
 * Shows a toast. One with an `action` stays until it is used or closed: the designer has to be
 * able to reach it.
 */
export type ToastApi = { show(message: string, tone?: ToastTone, action?: ToastAction): void };

/** Set by `ToastProvider`; without one, toasts go nowhere (unit tests of a lone component). */
export const ToastContext = createContext<ToastApi>({ show: () => undefined });
