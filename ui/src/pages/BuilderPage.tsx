import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ComponentProps } from "react";
import {
  addBlock,
  addSequence,
  moveBlock,
  openBot,
  removeBlock,
  renameSequence,
  type BlockCard,
  type BlockKind,
  type BotView,
  type SequenceView,
} from "../backend/builder.ts";
import { Palette } from "../components/builder/Palette.tsx";
import { PanelHost } from "../components/builder/PanelHost.tsx";
import type { CanvasActions, SequenceChoice } from "../components/canvas/CanvasActions.ts";
import { BlockOutline } from "../components/canvas/BlockOutline.tsx";
import { isDeleteKey } from "../components/canvas/deleteKey.ts";
import { blockLabel } from "../components/canvas/blockLabel.ts";
import { movedView } from "../components/canvas/movedView.ts";
import { ConfirmDialog } from "../components/common/Dialog.tsx";
import { ErrorBoundary } from "../components/common/ErrorBoundary.tsx";
import { Icon } from "../components/common/Icon.tsx";
import { NameDialog } from "../components/dashboard/NameDialog.tsx";
import { useToast } from "../components/toast/useToast.ts";
import { messagePanelAhead, openBotAhead, webhookPanelAhead } from "../app/aheadOfClicks.ts";
import { markStep } from "../app/marks.ts";
import { useCanvas } from "../app/pageLoaders.tsx";
import { useRemoteChanges } from "../app/useRemoteChanges.ts";
import type * as CanvasCode from "../components/canvas/FlowCanvas.tsx";
import { describeError } from "../errors/describeError.ts";
import { useReadOnly } from "../app/readOnly.ts";

/**
 * React Flow comes in its own chunk (`useCanvas`): the dashboard never waits for it. Until it is
 * here the canvas is empty; if it cannot load, this throws to the builder's error boundary, which
 * shows an outline of the same cards.
 */
function Canvas(props: ComponentProps<typeof CanvasCode.FlowCanvas>) {
  const canvas = useCanvas();
  if (canvas instanceof Error) throw canvas;
  if (canvas === undefined) return <div className="canvas" aria-busy="true" />;
  const { FlowCanvas } = canvas;
  return <FlowCanvas {...props} />;
}

type Loaded = { status: "loading" } | { status: "ready"; bot: BotView } | { status: "failed"; message: string };

/** The bot builder: its header, the palette, the canvas, and the selected block's panel. */
export function BuilderPage({
  botId,
  initialBlock,
  onBack,
  onOpenChannels,
}: {
  botId: string;
  initialBlock: string | undefined;
  onBack: () => void;
  /** To the bot's Channels page; with the block when its warning was the way there. */
  onOpenChannels: (from?: { blockId: string; blockName: string }) => void;
}) {
  const toast = useToast();
  const readOnly = useReadOnly();
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [selected, setSelected] = useState<string | undefined>(initialBlock);
  const [sequence, setSequence] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<
    "sequence" | { remove: BlockCard } | { rename: { id: string; name: string } } | null
  >(null);
  const [removeError, setRemoveError] = useState<string | undefined>(undefined);

  // Shows a read of the bot. Once the canvas is shown, a failed read keeps it and says why in a
  // toast.
  const shown = useRef(false);
  const show = useCallback(
    (reading: Promise<BotView>) => {
      reading.then(
        (bot) => {
          if (!shown.current) markStep("ui: bot answered");
          shown.current = true;
          setLoaded({ status: "ready", bot });
        },
        (error: unknown) => {
          if (shown.current) toast.show(describeError(error), "error");
          else setLoaded({ status: "failed", message: describeError(error) });
        },
      );
    },
    [toast],
  );
  const refresh = useCallback(() => {
    show(openBot(botId));
  }, [botId, show]);

  // Read as the page is committed, before its first frame is painted: the read the click that
  // opened the builder started (see app/askAhead.ts), else a new one.
  useLayoutEffect(() => {
    markStep("ui: builder committed");
    show(openBotAhead.take(botId));
  }, [botId, show]);
  // A teammate's change to this bot, pulled by sync, shows on the canvas at once.
  useRemoteChanges((bots) => {
    if (bots.includes(botId)) refresh();
  });

  const bot = loaded.status === "ready" ? loaded.bot : undefined;
  const sequences = bot?.flows.flatMap((flow) => flow.sequences) ?? [];
  const selectedCard = findBlock(sequences, selected);
  // Where new blocks go: the chosen sequence, else the selected block's, else the first.
  const target =
    sequences.find((s) => s.id === sequence) ??
    sequences.find((s) => s.id === selectedCard?.sequenceId) ??
    sequences[0];

  const run = useCallback(
    <T,>(call: Promise<T>, then: (value: T) => void) => {
      setBusy(true);
      call.then(
        (value) => {
          setBusy(false);
          then(value);
        },
        (error: unknown) => {
          setBusy(false);
          toast.show(describeError(error), "error");
        },
      );
    },
    [toast],
  );

  const add = (kind: BlockKind) => {
    if (target === undefined) return;
    run(addBlock(botId, target.id, kind), (added) => {
      setLoaded({ status: "ready", bot: added.bot });
      setSelected(added.id);
      setSequence(target.id);
    });
  };

  // Read by a move, which is made once per bot: the selected block's sequence follows it.
  const selectedRef = useRef(selected);
  useEffect(() => {
    selectedRef.current = selected;
  }, [selected]);
  // Each move is numbered; only the latest one's answer is shown, so two quick moves never
  // flash the first one's result after the second was drawn.
  const moves = useRef(0);
  const choices = useMemo<SequenceChoice[]>(
    () =>
      (bot?.flows.flatMap((flow) => flow.sequences) ?? []).map((s) => ({ id: s.id, name: s.name, blocks: s.blocks.length })),
    [bot],
  );
  const actions = useMemo<CanvasActions>(
    () => ({
      // The block is drawn in its new place at once; Rust's answer then replaces that picture.
      // A refusal says why and reads the bot again, so what is shown is what is stored.
      move: (blockId, sequenceId, to) => {
        moves.current += 1;
        const ticket = moves.current;
        setLoaded((now) => (now.status === "ready" ? { status: "ready", bot: movedView(now.bot, blockId, sequenceId, to) } : now));
        if (blockId === selectedRef.current) setSequence(sequenceId);
        return moveBlock(botId, blockId, sequenceId, to).then(
          (view) => {
            if (ticket === moves.current) setLoaded({ status: "ready", bot: view });
            return true;
          },
          (error: unknown) => {
            toast.show(describeError(error), "error");
            refresh();
            return false;
          },
        );
      },
      selectSequence: setSequence,
      renameSequence: (id, name) => {
        setAsking({ rename: { id, name } });
      },
      sequences: choices,
    }),
    [botId, toast, refresh, choices],
  );

  // The selected block's panel reads it as it mounts, in the render this selection causes: the
  // read starts first (see app/askAhead.ts).
  const sequencesRef = useRef(sequences);
  useEffect(() => {
    sequencesRef.current = sequences;
  });
  const selectBlock = useCallback(
    (blockId: string, sequenceId: string) => {
      if (blockId !== selectedRef.current) {
        const kind = findBlock(sequencesRef.current, blockId)?.card.kind;
        if (kind === "webhook") webhookPanelAhead.ask(botId, blockId);
        else if (kind === "message") messagePanelAhead.ask(botId, blockId);
      }
      setSelected(blockId);
      setSequence(sequenceId);
    },
    [botId],
  );
  const clearSelection = useCallback(() => {
    setSelected(undefined);
  }, []);
  const askRemove = (blockId: string) => {
    const found = findBlock(sequences, blockId);
    // A read-only file: Delete removes nothing (the banner above says why).
    if (found !== undefined && !readOnly) {
      setRemoveError(undefined);
      setAsking({ remove: found.card });
    }
  };

  if (loaded.status === "loading") {
    return <p className="page muted">Opening the bot…</p>;
  }
  if (loaded.status === "failed") {
    return (
      <div className="page">
        <button type="button" className="button button-small back-button" onClick={onBack}>
          <Icon name="back" size={14} />
          Bots
        </button>
        <p className="inline-error">Could not open the bot: {loaded.message}</p>
      </div>
    );
  }
  const view = loaded.bot;

  return (
    <div className="builder" data-testid="builder">
      <header className="builder-header">
        <button type="button" className="button button-small button-quiet" onClick={onBack}>
          <Icon name="back" size={14} />
          Bots
        </button>
        <span className="builder-crumb" aria-hidden="true">
          /
        </span>
        <h1 className="builder-title">{view.name}</h1>
        {!view.connected && (
          <button
            type="button"
            className="chip chip-warning"
            onClick={() => {
              onOpenChannels();
            }}
          >
            <Icon name="warning" size={14} />
            No channel connected
          </button>
        )}
        <span className="builder-header-spacer" />
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            onOpenChannels();
          }}
        >
          <Icon name="channels" size={15} />
          Channels
        </button>
      </header>
      <Palette
        target={target?.name}
        busy={busy}
        onAddWebhook={() => {
          add("webhook");
        }}
        onAddMessage={() => {
          add("message");
        }}
        onAddSequence={() => {
          setAsking("sequence");
        }}
      />
      <div className={`builder-body${selectedCard !== undefined ? " builder-body-with-panel" : ""}`}>
        <ErrorBoundary
          fallback={(error) => (
            <div
              className="canvas-fallback"
              data-testid="canvas-fallback"
              onKeyDown={(event) => {
                if (isDeleteKey(event) && selectedCard !== undefined) {
                  event.preventDefault();
                  askRemove(selectedCard.card.id);
                }
              }}
            >
              <p className="inline-error">
                The canvas could not start ({describeError(error)}), so the flow is shown as a list.
              </p>
              <BlockOutline
                bot={view}
                selectedBlock={selectedCard?.card.id}
                activeSequence={target?.id}
                actions={actions}
                onSelectBlock={selectBlock}
              />
            </div>
          )}
        >
          <Canvas
            bot={view}
            selectedBlock={selectedCard?.card.id}
            activeSequence={target?.id}
            actions={actions}
            onSelectBlock={selectBlock}
            onDeleteBlock={askRemove}
            onClearSelection={clearSelection}
          />
        </ErrorBoundary>
        {selectedCard !== undefined && (
          <PanelHost
            botId={botId}
            block={selectedCard.card}
            onChanged={refresh}
            onClose={clearSelection}
            onOpenChannels={() => {
              onOpenChannels({ blockId: selectedCard.card.id, blockName: selectedCard.card.name });
            }}
          />
        )}
      </div>
      {asking === "sequence" && (
        <NameDialog
          title="Add sequence"
          label="Sequence name"
          submitLabel="Add sequence"
          onClose={() => {
            setAsking(null);
          }}
          onSubmit={async (name) => {
            const added = await addSequence(botId, name);
            setLoaded({ status: "ready", bot: added.bot });
            setSequence(added.id);
            setAsking(null);
          }}
        />
      )}
      {asking !== null && asking !== "sequence" && "rename" in asking && (
        <NameDialog
          title={`Rename ${asking.rename.name}`}
          label="Sequence name"
          initial={asking.rename.name}
          submitLabel="Rename"
          onClose={() => {
            setAsking(null);
          }}
          onSubmit={async (name) => {
            const view = await renameSequence(botId, asking.rename.id, name);
            setLoaded({ status: "ready", bot: view });
            setAsking(null);
          }}
        />
      )}
      {asking !== null && asking !== "sequence" && "remove" in asking && (
        <ConfirmDialog
          title={`Remove ${asking.remove.name}?`}
          confirmLabel="Remove block"
          error={removeError}
          onCancel={() => {
            setAsking(null);
          }}
          onConfirm={() => {
            const card = asking.remove;
            removeBlock(botId, card.id).then(
              (next) => {
                setLoaded({ status: "ready", bot: next });
                if (selected === card.id) setSelected(undefined);
                setAsking(null);
                toast.show(`Removed ${blockLabel(card)}`);
              },
              (error: unknown) => {
                setRemoveError(describeError(error));
              },
            );
          }}
        >
          <p>
            {blockLabel(asking.remove)} will be removed from the flow
            {asking.remove.kind === "webhook" &&
              ", with its token and captured requests; its URL stops answering at once"}
            . This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function findBlock(
  sequences: SequenceView[],
  blockId: string | undefined,
): { card: BlockCard; sequenceId: string } | undefined {
  for (const sequence of sequences) {
    const card = sequence.blocks.find((b) => b.id === blockId);
    if (card !== undefined) return { card, sequenceId: sequence.id };
  }
  return undefined;
}
