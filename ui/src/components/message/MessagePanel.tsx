import { useEffect, useId, useRef, useState } from "react";

import {
  editMessage,
  messagePanel,
  renameBlock,
  type MessagePanel as MessageView,
} from "../../backend/panel.ts";
import { messagePanelAhead } from "../../app/aheadOfClicks.ts";
import { describeError } from "../../errors/describeError.ts";
import "../../styles/panel.css";
import { useToast } from "../toast/useToast.ts";
import { BlockName } from "../webhook/BlockName.tsx";
import { ProblemList, problemAttributes } from "../webhook/ProblemList.tsx";
import { useAutosave } from "../common/useAutosave.ts";
import { useReadOnly } from "../../app/readOnly.ts";

type Props = { botId: string; blockId: string; onChanged: () => void };

/** A message block's side panel: its name and text, autosaved like the webhook form. */
export function MessagePanel(props: Props) {
  return <MessagePanelBody key={`${props.botId}/${props.blockId}`} {...props} />;
}

function MessagePanelBody({ botId, blockId, onChanged }: Props) {
  const id = useId();
  // A read-only file: the message can be read and its text selected, not changed.
  const readOnly = useReadOnly();
  const toast = useToast();
  const [panel, setPanel] = useState<MessageView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const onChangedRef = useRef(onChanged);
  useEffect(() => {
    onChangedRef.current = onChanged;
  });

  const autosave = useAutosave<string>(
    "",
    async (typed) => {
      setPanel(await editMessage(botId, blockId, typed));
      onChangedRef.current();
    },
    (message) => {
      toast.show(`A message block: ${message}`, "error");
    },
  );
  const { flush, markSaved, saveError } = autosave;

  const change = (next: string) => {
    setText(next);
    autosave.change(next);
  };

  // The read the click that selected the block started (see app/askAhead.ts), else a new one.
  useEffect(() => {
    let live = true;
    messagePanelAhead.take(botId, blockId).then(
      (first) => {
        if (!live) return;
        setPanel(first);
        markSaved(first.text);
        setText(first.text);
      },
      (error: unknown) => {
        if (live) setLoadError(describeError(error));
      },
    );
    return () => {
      live = false;
    };
  }, [botId, blockId, markSaved]);

  if (loadError !== null) {
    return (
      <div className="block-panel">
        <p className="panel-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (panel === null) {
    return (
      <div className="block-panel">
        <p className="muted">Loading the block…</p>
      </div>
    );
  }

  const textProblems = panel.problems.filter(
    (p) => p.field.kind === "text" && (!p.incomplete || touched),
  );
  const nameProblems = panel.problems.filter((p) => p.field.kind === "name");

  const insert = (token: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    change(text.slice(0, start) + token + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <div className="block-panel" data-testid="message-panel">
      <header className="block-panel-header">
        <BlockName
          name={panel.name}
          problems={nameProblems}
          onRename={async (name) => {
            try {
              await renameBlock(botId, blockId, name);
              onChanged();
              setPanel(await messagePanel(botId, blockId));
            } catch (error) {
              toast.show(describeError(error), "error");
            }
          }}
        />
        <span className="badge">Message</span>
      </header>
      {saveError !== null && (
        <p className="panel-error" role="alert">
          Not saved: {saveError} What you typed is kept here and saved as soon as the store accepts it again.
        </p>
      )}
      <div className="panel-field">
        <label className="field-label" htmlFor={`${id}-text`}>
          Message text
        </label>
        <textarea
          ref={area}
          id={`${id}-text`}
          className="input textarea"
          rows={6}
          readOnly={readOnly}
          value={text}
          onChange={(e) => {
            change(e.target.value);
          }}
          onBlur={() => {
            setTouched(true);
            void flush();
          }}
          {...problemAttributes(`${id}-problems`, textProblems)}
        />
        <ProblemList id={`${id}-problems`} problems={textProblems} />
      </div>
      {panel.variables.length > 0 && !readOnly && (
        <div className="panel-field">
          <p className="field-label" id={`${id}-vars`}>
            Insert a variable
          </p>
          <div className="chips" role="group" aria-labelledby={`${id}-vars`}>
            {panel.variables.map(({ name, placeholder }) => (
              <button
                key={name}
                type="button"
                className="chip"
                onMouseDown={(e) => {
                  // Keeps the caret in the text so the variable goes where it was.
                  e.preventDefault();
                }}
                onClick={() => {
                  insert(placeholder);
                }}
              >
                {placeholder}
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
