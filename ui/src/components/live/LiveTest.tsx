import { useCallback, useEffect, useId, useRef, useState } from "react";

import {
  capturedRequests,
  listeningStatus,
  onCapturedRequest,
  replayRequest,
  startListening,
  stopListening,
  keepAsSample,
  type CapturedView,
  type ListenStatus,
} from "../../backend/panel.ts";
import { describeError } from "../../errors/describeError.ts";
import { useToast } from "../toast/useToast.ts";
import { takesTyping } from "../common/takesTyping.ts";
import { CapturedRequestItem } from "./CapturedRequestItem.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * "Listen for test request": runs the development receiver for this bot and lists what the
 * block received, newest first, each traced through the block's current mappings.
 */
export function LiveTest({
  botId,
  blockId,
  developmentUrl,
  onSampleUsed,
}: {
  botId: string;
  blockId: string;
  developmentUrl: string;
  onSampleUsed: () => void;
}) {
  const id = useId();
  const toast = useToast();
  // A read-only file cannot keep what the receiver captures: listening is off. The requests
  // already kept can still be read and replayed through the mappings.
  const readOnly = useReadOnly();
  const [status, setStatus] = useState<ListenStatus>({ state: "stopped" });
  const [requests, setRequests] = useState<CapturedView[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const listening = status.state === "listening" && status.botId === botId;
  // The request that has just arrived, to bring into view: the designer sent it from a terminal
  // and looks back at the panel, usually scrolled to the form above.
  const [arrived, setArrived] = useState<number | null>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (arrived === null) return;
    // Never while the designer is typing: the field would scroll away from under the caret.
    if (takesTyping(document.activeElement)) return;
    list.current?.querySelector(`[data-request="${String(arrived)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [arrived]);

  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | null = null;
    listeningStatus().then(
      (s) => {
        if (live) setStatus(s);
      },
      (error: unknown) => {
        if (live) setProblem(describeError(error));
      },
    );
    capturedRequests(botId, blockId).then(
      (list) => {
        if (live) setRequests(list);
      },
      (error: unknown) => {
        if (live) setProblem(describeError(error));
      },
    );
    onCapturedRequest((event) => {
      if (event.blockId === blockId && event.botId === botId) {
        setRequests((all) => [event.request, ...all.filter((r) => r.id !== event.request.id)]);
        setArrived(event.request.id);
      }
    }).then(
      (stop) => {
        if (live) unlisten = stop;
        else stop();
      },
      (error: unknown) => {
        // Without the subscription new requests would only appear on reopening the panel.
        if (live) setProblem(`New requests cannot be shown as they arrive: ${describeError(error)}`);
      },
    );
    return () => {
      live = false;
      unlisten?.();
    };
  }, [botId, blockId]);

  const toggle = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setStatus(listening ? await stopListening() : await startListening(botId));
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  const replace = (next: CapturedView) => {
    setRequests((all) => all.map((r) => (r.id === next.id ? next : r)));
  };
  const replay = useCallback(
    (request: number) => {
      replayRequest(botId, blockId, request).then(replace, (error: unknown) => {
        toast.show(describeError(error), "error");
      });
    },
    [botId, blockId, toast],
  );
  const useSample = useCallback(
    (request: number) => {
      keepAsSample(botId, blockId, request).then(
        () => {
          toast.show("This request's body is now the block's sample.");
          onSampleUsed();
        },
        (error: unknown) => {
          toast.show(describeError(error), "error");
        },
      );
    },
    [botId, blockId, toast, onSampleUsed],
  );

  return (
    <section className="panel-section live-test" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        Live test
      </h3>
      <div className="live-row">
        <button
          type="button"
          className="button"
          aria-pressed={listening}
          disabled={busy || readOnly}
          onClick={() => void toggle()}
        >
          Listen for test request
        </button>
        {listening && (
          <span className="live-state" role="status">
            <span className="live-dot" aria-hidden="true" />
            Waiting for a request…
          </span>
        )}
      </div>
      {listening && (
        <p className="field-hint">
          Send it to <code className="break">{developmentUrl}</code> (the Development cURL above
          does). Only submitted blocks answer; a draft answers 404.
        </p>
      )}
      {problem !== null && (
        <p className="panel-error" role="alert">
          {problem}
        </p>
      )}
      {requests.length > 0 && (
        <ul ref={list} className="captured-list" aria-label="Captured requests">
          {requests.map((request) => (
            <CapturedRequestItem
              key={request.id}
              request={request}
              onReplay={replay}
              onUseAsSample={useSample}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
