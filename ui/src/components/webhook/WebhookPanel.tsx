import { useCallback, useId, useState, type FocusEvent, type KeyboardEvent } from "react";

import {
  addMappingForPath,
  chooseWebhookChannel,
  copyToClipboard,
  redoWebhookEdit,
  renameBlock,
  revealToken,
  rotateToken,
  submitWebhook,
  undoWebhookEdit,
  type ChannelKind,
  type CopyTarget,
  type WebhookForm,
} from "../../backend/panel.ts";
import { describeError } from "../../errors/describeError.ts";
import { Icon } from "../common/Icon.tsx";
import "../../styles/panel.css";
import { LiveTest } from "../live/LiveTest.tsx";
import { useOpenConflicts } from "../../app/OpenConflicts.ts";
import { useReadOnly } from "../../app/readOnly.ts";
import { useToast } from "../toast/useToast.ts";
import { BlockName } from "./BlockName.tsx";
import { ContactField } from "./ContactField.tsx";
import { CurlSamples } from "./CurlSamples.tsx";
import { MappingsTable } from "./MappingsTable.tsx";
import { ProblemList, problemAttributes } from "./ProblemList.tsx";
import { SampleTree } from "./SampleTree.tsx";
import { TokenField } from "./TokenField.tsx";
import { fieldKey, shownProblems } from "./problems.ts";
import { useWebhookPanel } from "./useWebhookPanel.ts";

type Props = {
  botId: string;
  blockId: string;
  onOpenChannels: () => void;
  onChanged: () => void;
};

const STATUS_LABEL = { draft: "Draft", submitted: "Submitted", edited: "Edited" } as const;

/** The form with this account (none when undefined). */
function withAccount(form: WebhookForm, account: WebhookForm["account"]): WebhookForm {
  const next: WebhookForm = { ...form };
  if (account === undefined) delete next.account;
  else next.account = account;
  return next;
}

/** The webhook block's side panel: renders the view Rust computes and sends the form as typed. */
export function WebhookPanel(props: Props) {
  // A new block starts with nothing touched and its own autosave.
  return <WebhookPanelBody key={`${props.botId}/${props.blockId}`} {...props} />;
}

function WebhookPanelBody({ botId, blockId, onOpenChannels, onChanged }: Props) {
  const id = useId();
  const toast = useToast();
  // A read-only file: the panel shows the block and copies from it; nothing here changes it
  // (Rust turns Submit off and says why).
  const readOnly = useReadOnly();
  const showError = useCallback(
    (message: string) => {
      toast.show(message, "error");
    },
    [toast],
  );
  const openConflicts = useOpenConflicts();
  const showChangedElsewhere = useCallback(
    (message: string) => {
      toast.show(
        message,
        "error",
        openConflicts === null ? undefined : { label: "Open Sync conflicts", run: openConflicts },
      );
    },
    [toast, openConflicts],
  );
  const { panel, loadError, form, saveError, change, flush, replaceWith, reload } =
    useWebhookPanel(botId, blockId, onChanged, showError, showChangedElsewhere);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [showDevUrl, setShowDevUrl] = useState(false);

  if (loadError !== null) {
    return (
      <div className="block-panel">
        <p className="panel-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (panel === null || form === null) {
    return (
      <div className="block-panel">
        <p className="muted">Loading the block…</p>
      </div>
    );
  }

  const problemsOf = (key: string) => shownProblems(panel.problems, key, touched, submitted);
  const hiddenCount =
    panel.problems.length - panel.problems.filter((p) => problemsOf(fieldKey(p.field)).includes(p)).length;
  const edit = (patch: Partial<WebhookForm>) => {
    change({ ...form, ...patch });
  };

  const copy = (target: CopyTarget) => {
    copyToClipboard(botId, blockId, target).then(
      (receipt) => {
        toast.show(receipt.toast);
      },
      (error: unknown) => {
        showError(describeError(error));
      },
    );
  };

  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    const key = e.target instanceof HTMLElement ? e.target.dataset.field : undefined;
    if (key !== undefined && !touched.has(key)) {
      setTouched(new Set([...touched, key]));
    }
    void flush();
  };

  const chooseChannel = (channel: ChannelKind | null) =>
    replaceWith(() => chooseWebhookChannel(botId, blockId, channel));
  const undo = () => replaceWith(() => undoWebhookEdit(botId, blockId));
  const redo = () => replaceWith(() => redoWebhookEdit(botId, blockId));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !readOnly) {
      e.preventDefault();
      if (e.shiftKey) {
        if (panel.canRedo) void redo();
      } else if (panel.canUndo) {
        void undo();
      }
    }
  };

  const submit = async () => {
    setSubmitted(true);
    setSubmitting(true);
    await replaceWith(async () => {
      const outcome = await submitWebhook(botId, blockId);
      toast.show(outcome.message, outcome.accepted ? "info" : "error");
      return outcome.panel;
    });
    setSubmitting(false);
  };

  const typeProblems = problemsOf("type");
  const channelProblems = problemsOf("channel");
  const accountProblems = problemsOf("account");
  const chosen = panel.channels.find((c) => c.channel === form.channel);
  const statusProblems = [
    ...problemsOf("status"),
    ...panel.problems.filter((p) => p.field.kind === "bot"),
  ];

  return (
    <div className="block-panel" onBlur={onBlur} onKeyDown={onKeyDown} data-testid="webhook-panel">
      <header className="block-panel-header">
        <BlockName
          name={panel.name}
          problems={problemsOf("name")}
          onRename={async (name) => {
            try {
              await renameBlock(botId, blockId, name);
              onChanged();
              await reload();
            } catch (error) {
              showError(describeError(error));
            }
          }}
        />
        <span className={`badge status-${panel.status}`}>{STATUS_LABEL[panel.status]}</span>
        <div className="header-tools">
          <button
            type="button"
            className="icon-button"
            aria-label="Undo"
            title="Undo (Ctrl+Z)"
            disabled={readOnly || !panel.canUndo}
            onClick={() => void undo()}
          >
            <Icon name="undo" size={16} />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Redo"
            title="Redo (Ctrl+Shift+Z)"
            disabled={readOnly || !panel.canRedo}
            onClick={() => void redo()}
          >
            <Icon name="redo" size={16} />
          </button>
        </div>
      </header>

      {panel.noConnectedChannel && (
        <div className="panel-warning" role="alert">
          <p>This bot has no connected channel. A webhook needs one to act on.</p>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void flush().then(onOpenChannels);
            }}
          >
            Open the Channels page
          </button>
        </div>
      )}

      {saveError !== null && (
        <p className="panel-error" role="alert">
          Not saved: {saveError} What you typed is kept here and saved as soon as the store accepts it again.
        </p>
      )}

      <fieldset className="panel-field type-cards" disabled={readOnly}>
        <legend className="field-label">Select Webhook Type</legend>
        {panel.types.map((option) => (
          <label key={option.value} className="type-card">
            <input
              type="radio"
              data-field="type"
              name={`${id}-type`}
              value={option.value}
              checked={form.type === option.value}
              onChange={() => {
                edit({ type: option.value });
              }}
              {...problemAttributes(`${id}-type-problems`, typeProblems)}
            />
            <span>
              <span className="type-card-label">{option.label}</span>
              <span className="type-card-text">{option.explanation}</span>
            </span>
          </label>
        ))}
        <ProblemList id={`${id}-type-problems`} problems={typeProblems} />
      </fieldset>

      <div className="panel-field">
        <label className="field-label" htmlFor={`${id}-url`}>
          Webhook URL
        </label>
        <div className="input-row">
          {/* Wrapped over two lines, so that its end (the block's id) shows as well. */}
          <textarea
            id={`${id}-url`}
            className="input mono url-field"
            readOnly
            rows={2}
            spellCheck={false}
            value={showDevUrl ? panel.developmentUrl : panel.productionUrl}
          />
          <button
            type="button"
            className="button"
            aria-label="Copy Webhook URL"
            onClick={() => {
              copy({ what: "url", env: showDevUrl ? "development" : "production" });
            }}
          >
            Copy
          </button>
        </div>
        <div className="env-toggle" role="group" aria-label="Environment of the Webhook URL">
          <button
            type="button"
            className="segment"
            aria-pressed={!showDevUrl}
            onClick={() => {
              setShowDevUrl(false);
            }}
          >
            Production
          </button>
          <button
            type="button"
            className="segment"
            aria-pressed={showDevUrl}
            onClick={() => {
              setShowDevUrl(true);
            }}
          >
            Development
          </button>
          <span className="field-hint">
            {showDevUrl
              ? "The test receiver on this computer."
              : "Your team server; the URL your service calls."}
          </span>
        </div>
      </div>

      <TokenField
        masked={panel.tokenMasked}
        problems={problemsOf("token")}
        onReveal={async () => {
          try {
            return await revealToken(botId, blockId);
          } catch (error) {
            showError(describeError(error));
            return null;
          }
        }}
        onCopy={() => {
          copy({ what: "token" });
        }}
        onRotate={async () => {
          if (await replaceWith(() => rotateToken(botId, blockId))) {
            toast.show("New token issued. Update every service that used the old one.");
          }
        }}
      />

      <div className="panel-field-pair">
        <div className="panel-field">
          <label className="field-label" htmlFor={`${id}-channel`}>
            Select Channel
          </label>
          <select
            id={`${id}-channel`}
            className="input"
            data-field="channel"
            disabled={readOnly}
            value={form.channel ?? ""}
            onChange={(e) => {
              const next = panel.channels.find((c) => c.channel === e.target.value);
              void chooseChannel(next?.channel ?? null);
            }}
            {...problemAttributes(`${id}-channel-problems`, channelProblems)}
          >
            <option value="">Choose a channel…</option>
            {panel.channels.map((c) => (
              <option key={c.channel} value={c.channel}>
                {c.label}
              </option>
            ))}
          </select>
          <ProblemList
            id={`${id}-channel-problems`}
            problems={channelProblems}
            onUse={(s) => {
              const next = panel.channels.find((c) => c.channel === s);
              if (next !== undefined) void chooseChannel(next.channel);
            }}
          />
        </div>
        <div className="panel-field">
          <label className="field-label" htmlFor={`${id}-account`}>
            Select Account
          </label>
          <select
            id={`${id}-account`}
            className="input"
            data-field="account"
            value={form.account ?? ""}
            disabled={readOnly || chosen === undefined}
            onChange={(e) => {
              change(withAccount(form, e.target.value === "" ? undefined : e.target.value));
            }}
            {...problemAttributes(`${id}-account-problems`, accountProblems)}
          >
            <option value="">
              {chosen === undefined ? "Choose a channel first" : "Choose an account…"}
            </option>
            {chosen?.accounts.map((a) => (
              <option key={a.alias} value={a.alias}>
                {a.label}
              </option>
            ))}
          </select>
          <ProblemList
            id={`${id}-account-problems`}
            problems={accountProblems}
            onUse={(s) => {
              edit({ account: s });
            }}
          />
        </div>
      </div>

      <MappingsTable
        rows={form.mappings}
        saved={panel.mappings}
        variables={panel.variables}
        problemsOf={problemsOf}
        onChange={(mappings) => {
          edit({ mappings });
        }}
      />

      {panel.sample !== null && (
        <SampleTree
          root={panel.sample}
          onMap={(path) => void replaceWith(() => addMappingForPath(botId, blockId, path))}
        />
      )}

      <ContactField
        value={form.contact_reference_id}
        hint={panel.contact}
        problems={problemsOf("contactReferenceId")}
        onChange={(value) => {
          edit({ contact_reference_id: value });
        }}
      />

      <CurlSamples
        curl={panel.curl}
        onCopy={(env, shell) => {
          copy({ what: "curl", env, shell });
        }}
      />

      <LiveTest
        botId={botId}
        blockId={blockId}
        developmentUrl={panel.developmentUrl}
        onSampleUsed={() => void reload()}
      />

      {/* Last, so that the bar (sticky) stays at the bottom of the panel wherever it is scrolled. */}
      <div className="submit-bar">
        <ProblemList id={`${id}-status-problems`} problems={statusProblems} />
        <div className="submit-row">
          <button
            type="button"
            className="button button-primary"
            disabled={!panel.submit.enabled || submitting}
            aria-describedby={panel.submit.reason !== null ? `${id}-submit-reason` : undefined}
            onClick={() => void submit()}
          >
            Submit
          </button>
          {panel.submit.reason !== null && (
            <p id={`${id}-submit-reason`} className="submit-reason">
              {panel.submit.reason}
            </p>
          )}
          {hiddenCount > 0 && !panel.submit.enabled && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setSubmitted(true);
              }}
            >
              Show what is missing
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
