import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ToastContext, type ToastAction, type ToastApi, type ToastTone } from "./ToastContext.ts";

/** How long a toast stays, unless closed sooner. */
const VISIBLE_MS = 4000;

type Toast = { id: number; message: string; tone: ToastTone; action?: ToastAction };

/** Holds the toasts of the window and shows them at the bottom of the page, clear of the panel (controls.css). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const close = useCallback((id: number) => {
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);

  const api = useMemo<ToastApi>(
    () => ({
      show(message, tone = "info", action) {
        const id = nextId.current++;
        // At most three at once: the oldest gives way.
        setToasts((all) => [...all.slice(-2), action === undefined ? { id, message, tone } : { id, message, tone, action }]);
      },
    }),
    [],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onClose={close} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onClose }: { toast: Toast; onClose: (id: number) => void }) {
  const lasting = toast.action !== undefined;
  useEffect(() => {
    if (lasting) return undefined;
    const timer = setTimeout(() => {
      onClose(toast.id);
    }, VISIBLE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [toast.id, onClose, lasting]);

  return (
    <div className={`toast toast-${toast.tone}`} role="status" data-testid="toast">
      <span className="toast-message">{toast.message}</span>
      {toast.action !== undefined && (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            toast.action?.run();
            onClose(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        className="icon-button toast-close"
        aria-label="Close notification"
        onClick={() => {
          onClose(toast.id);
        }}
      >
        ×
      </button>
    </div>
  );
}
