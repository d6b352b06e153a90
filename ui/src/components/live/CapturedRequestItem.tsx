import { useId, useState } from "react";

import type { CapturedView } from "../../backend/panel.ts";
import { MessageText } from "../common/MessageText.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

function statusTone(status: number): string {
  if (status < 300) return "ok";
  if (status < 500) return "refused";
  return "failed";
}

/** One captured request: a summary line, and its details when expanded. */
export function CapturedRequestItem({
  request,
  onReplay,
  onUseAsSample,
}: {
  request: CapturedView;
  onReplay: (id: number) => void;
  onUseAsSample: (id: number) => void;
}) {
  const id = useId();
  const readOnly = useReadOnly();
  const [open, setOpen] = useState(false);
  return (
    <li className="captured" data-request={request.id}>
      <button
        type="button"
        className="captured-summary"
        aria-expanded={open}
        aria-controls={`${id}-details`}
        onClick={() => {
          setOpen(!open);
        }}
      >
        <span className={`status-code status-${statusTone(request.status)}`}>{request.status}</span>
        <time className="captured-time" dateTime={request.receivedAt}>
          {request.received}
        </time>
        <span className="captured-message">
          <MessageText text={request.message ?? "Accepted"} />
        </span>
      </button>
      {open && (
        <div id={`${id}-details`} className="captured-details">
          <p>
            <strong>Answer:</strong> {request.status}
            {request.code !== null && <> · <code>{request.code}</code></>}
            {request.message !== null && (
              <>
                {" · "}
                <MessageText text={request.message} />
              </>
            )}
          </p>
          <h4>Headers</h4>
          <dl className="headers">
            {request.headers.map((h, i) => (
              <div key={`${h.name}-${String(i)}`}>
                <dt>{h.name}</dt>
                <dd>{h.value}</dd>
              </div>
            ))}
          </dl>
          <h4>Body</h4>
          <pre className="json">
            {request.body === null ? "(no JSON body)" : JSON.stringify(request.body, null, 2)}
          </pre>
          <h4>Save in variables, with the current rows</h4>
          {request.mappings.length === 0 ? (
            <p className="field-hint">The block has no rows.</p>
          ) : (
            <ul className="trace">
              {request.mappings.map((m) => (
                <li key={m.row} className={`trace-${m.outcome.kind}`}>
                  <code>{m.data || "(empty)"}</code> → <code>{m.setVariable || "(empty)"}</code>
                  {": "}
                  {m.outcome.kind === "extracted" ? (
                    <code>{JSON.stringify(m.outcome.value)}</code>
                  ) : (
                    <span>
                      <MessageText text={m.outcome.message} />
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
          <div className="captured-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                onReplay(request.id);
              }}
            >
              Replay
            </button>
            <button
              type="button"
              className="button"
              disabled={readOnly}
              onClick={() => {
                onUseAsSample(request.id);
              }}
            >
              Use as sample
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
