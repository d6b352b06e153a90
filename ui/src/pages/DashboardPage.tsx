import { useCallback, useEffect, useState } from "react";
import {
  createBot,
  createBotFromTemplate,
  deleteBot,
  duplicateBot,
  listBots,
  renameBot,
  type BotCard,
  type TemplateCard,
  type TemplateId,
} from "../backend/builder.ts";
import { ConfirmDialog } from "../components/common/Dialog.tsx";
import { EmptyState } from "../components/common/EmptyState.tsx";
import { Icon } from "../components/common/Icon.tsx";
import { PageHeader } from "../components/common/PageHeader.tsx";
import { BotCardView } from "../components/dashboard/BotCardView.tsx";
import { NameDialog } from "../components/dashboard/NameDialog.tsx";
import { TemplateList } from "../components/dashboard/TemplateList.tsx";
import { ExportDialog, useImport } from "../components/dashboard/TransferDialogs.tsx";
import { useToast } from "../components/toast/useToast.ts";
import { firstAnswer, release, settledAnswer } from "../app/firstScreen.ts";
import { markStep } from "../app/marks.ts";
import { preloadPages } from "../app/pageLoaders.tsx";
import { useRemoteChanges } from "../app/useRemoteChanges.ts";
import { describeError } from "../errors/describeError.ts";
import { countOf } from "../components/common/countOf.ts";
import { useReadOnly } from "../app/readOnly.ts";

type Bots = { status: "loading" } | { status: "ready"; bots: BotCard[] } | { status: "failed"; message: string };

type Open =
  | { kind: "new" }
  | { kind: "rename"; bot: BotCard }
  | { kind: "delete"; bot: BotCard }
  | { kind: "export"; bot: BotCard }
  | null;

/** The bots, as cards; new bots, from scratch or a template. */
export function DashboardPage({ onOpenBot }: { onOpenBot: (botId: string) => void }) {
  const toast = useToast();
  const readOnly = useReadOnly();
  // The answers main.tsx asked for before the first render, when they have come: the window's
  // first frame then shows the bots, not "Loading bots…".
  const [early] = useState(() => ({ bots: settledAnswer("bots"), templates: settledAnswer("templates") }));
  const [bots, setBots] = useState<Bots>(() => {
    if (early.bots === undefined) return { status: "loading" };
    return early.bots.ok
      ? { status: "ready", bots: early.bots.value }
      : { status: "failed", message: describeError(early.bots.error) };
  });
  const [templates, setTemplates] = useState<TemplateCard[]>(() => (early.templates?.ok ? early.templates.value : []));
  const [dialog, setDialog] = useState<Open>(null);
  const [creating, setCreating] = useState<TemplateId | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | undefined>(undefined);

  const show = useCallback(
    (answer: Promise<BotCard[]>) =>
      answer.then(
        (list) => {
          setBots({ status: "ready", bots: list });
        },
        (error: unknown) => {
          setBots({ status: "failed", message: describeError(error) });
        },
      ),
    [],
  );
  const reload = useCallback(() => show(listBots()), [show]);

  // A teammate's change pulled by sync shows without leaving the page.
  useRemoteChanges(() => {
    void reload();
  });

  useEffect(() => {
    if (early.bots === undefined) void show(firstAnswer("bots"));
    else release("bots");
    const templatesFailed = (error: unknown) => {
      toast.show(`Could not read the templates: ${describeError(error)}`, "error");
    };
    if (early.templates === undefined) firstAnswer("templates").then(setTemplates, templatesFailed);
    else {
      release("templates");
      if (!early.templates.ok) templatesFailed(early.templates.error);
    }
  }, [early, show, toast]);

  const imports = useImport((botId) => {
    void reload();
    onOpenBot(botId);
  });

  const startFromTemplate = (template: TemplateId) => {
    setCreating(template);
    createBotFromTemplate(template).then(
      (id) => {
        setCreating(null);
        onOpenBot(id);
      },
      (error: unknown) => {
        setCreating(null);
        toast.show(describeError(error), "error");
      },
    );
  };

  const duplicate = (bot: BotCard) => {
    duplicateBot(bot.id).then(
      () => {
        toast.show(`Duplicated ${bot.name}`);
        void reload();
      },
      (error: unknown) => {
        toast.show(describeError(error), "error");
      },
    );
  };

  const confirmDelete = (bot: BotCard) => {
    setDeleting(true);
    deleteBot(bot.id).then(
      () => {
        setDeleting(false);
        setDialog(null);
        toast.show(`Deleted ${bot.name}`);
        void reload();
      },
      (error: unknown) => {
        setDeleting(false);
        setDeleteError(describeError(error));
      },
    );
  };

  useEffect(() => {
    if (bots.status !== "ready") return;
    markStep("ui: bots shown");
    // Opening (or creating) a bot is what comes next: fetch the other pages' code while the
    // designer reads.
    preloadPages();
  }, [bots]);

  const list = bots.status === "ready" ? bots.bots : [];

  return (
    <div className="page page-wide">
      <PageHeader
        title="Bots"
        lead="A bot is a flow of blocks. Its webhook blocks let a shop, a CRM or a sign-up form push data in, so the bot can greet, alert or re-engage a contact."
        actions={
          <>
            <button type="button" className="button" onClick={imports.start} disabled={imports.busy || readOnly}>
              <Icon name="upload" size={16} />
              Import bot…
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setDialog({ kind: "new" });
              }}
              disabled={readOnly}
            >
              <Icon name="plus" size={16} />
              New bot
            </button>
          </>
        }
      />

      {bots.status === "loading" && <p className="muted">Loading bots…</p>}
      {bots.status === "failed" && (
        <p className="inline-error" data-testid="bots-error">
          Could not read the bots: {bots.message}
        </p>
      )}
      {bots.status === "ready" && list.length === 0 && (
        <EmptyState icon="bots" title="No bots yet">
          <p>
            {readOnly
              ? "This file holds no bots, and it is read-only (see above)."
              : "Create a bot from a blank flow with “New bot”, or start from one of the templates below."}
          </p>
        </EmptyState>
      )}
      {list.length > 0 && (
        <section aria-labelledby="bots-title">
          <h2 id="bots-title" className="visually-hidden">
            Your bots
          </h2>
          <ul className="bot-grid">
            {list.map((bot) => (
              <BotCardView
                key={bot.id}
                bot={bot}
                onOpen={() => {
                  onOpenBot(bot.id);
                }}
                onRename={() => {
                  setDialog({ kind: "rename", bot });
                }}
                onDuplicate={() => {
                  duplicate(bot);
                }}
                onDelete={() => {
                  setDeleteError(undefined);
                  setDialog({ kind: "delete", bot });
                }}
                onExport={() => {
                  setDialog({ kind: "export", bot });
                }}
              />
            ))}
          </ul>
        </section>
      )}

      {templates.length > 0 && (
        <section className="templates" aria-labelledby="templates-title">
          <h2 id="templates-title" className="section-title">
            Start from a template
          </h2>
          <TemplateList templates={templates} busy={creating} onUse={startFromTemplate} />
        </section>
      )}

      {dialog?.kind === "new" && (
        <NameDialog
          title="New bot"
          label="Bot name"
          submitLabel="Create bot"
          onClose={() => {
            setDialog(null);
          }}
          onSubmit={async (name) => {
            const id = await createBot(name);
            setDialog(null);
            onOpenBot(id);
          }}
        />
      )}
      {dialog?.kind === "rename" && (
        <NameDialog
          title={`Rename ${dialog.bot.name}`}
          label="Bot name"
          initial={dialog.bot.name}
          submitLabel="Rename"
          onClose={() => {
            setDialog(null);
          }}
          onSubmit={async (name) => {
            await renameBot(dialog.bot.id, name);
            setDialog(null);
            await reload();
          }}
        />
      )}
      {dialog?.kind === "export" && (
        <ExportDialog
          bot={dialog.bot}
          onClose={() => {
            setDialog(null);
          }}
        />
      )}
      {imports.dialogs}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.bot.name}?`}
          confirmLabel="Delete bot"
          busy={deleting}
          error={deleteError}
          onCancel={() => {
            setDialog(null);
          }}
          onConfirm={() => {
            confirmDelete(dialog.bot);
          }}
        >
          <p>
            {dialog.bot.name} and everything in it will be deleted: its flow and blocks
            {dialog.bot.webhookBlocks > 0 &&
              ` (${countOf(dialog.bot.webhookBlocks, "webhook block", "webhook blocks")}, whose URLs stop answering at once)`}
            , its channel connections and the requests its blocks captured.
          </p>
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
