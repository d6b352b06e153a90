import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
  type ReactFlowInstance,
  useStoreApi,
  type NodeChange,
  type NodeMouseHandler,
  type NodeTypes,
  type OnNodeDrag,
  type Viewport,
  type XYPosition,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from "react";
import { markStep } from "../../app/marks.ts";
import { useReadOnly } from "../../app/readOnly.ts";
import type { BotView } from "../../backend/builder.ts";
import { BlockNodeView } from "./BlockNodeView.tsx";
import { CanvasActionsContext, type CanvasActions } from "./CanvasActions.ts";
import { isDeleteKey } from "./deleteKey.ts";
import { dropTarget, staysInPlace, stepTarget, type DropTarget, type Step } from "./dropTarget.ts";
import { LaneNodeView } from "./LaneNodeView.tsx";
import {
  BLOCK_HEIGHT,
  BLOCK_WIDTH,
  layout,
  openingViewport,
  type CanvasNode,
  type DropSlotNode,
  type FlowLayout,
} from "./layout.ts";
import { movedView } from "./movedView.ts";
import { placeInView } from "./placeInView.ts";

const NODE_TYPES: NodeTypes = { lane: LaneNodeView, block: BlockNodeView, drop: DropSlotView };
const PRO_OPTIONS = { hideAttribution: true };
/** How far the canvas zooms out and in (the opening view never zooms in past 1). */
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 1.5;
/** A press that moves less than this (screen pixels) is a click that selects, not a drag. */
const DRAG_THRESHOLD = 4;
const ARROWS: Partial<Record<string, Step>> = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };

/** A block being dragged: where its card is drawn now, and where it would land if dropped. */
type Drag = {
  id: string;
  name: string;
  from: { sequenceId: string; index: number };
  position: XYPosition;
  target: DropTarget | null;
};

/**
 * The bot's flow on a pannable, zoomable canvas. Selection is the builder's: a click (or Enter on
 * a focused node) selects a block; Delete or Backspace asks the builder to remove it.
 *
 * A block's card can be dragged to another place in its sequence or into another sequence: the
 * target lane opens a slot where it would land, and the drop asks the builder to move the block
 * (Rust saves it). Escape, or a drop outside every lane, puts the card back. Dragging the empty
 * canvas still pans it. Without a pointer, a card's Move to menu and Alt with the arrow keys
 * move it too.
 */
export function FlowCanvas(props: CanvasProps) {
  const { bot, activeSequence } = props;
  const laid = useMemo(() => layout(bot, activeSequence), [bot, activeSequence]);
  // The canvas's size is measured before React Flow mounts, so that its store starts with the
  // size and the cards: its first render then draws them. Started empty, it renders once without
  // them, and again once its effects have measured the pane and taken the cards in.
  const frame = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  useLayoutEffect(() => {
    const box = frame.current?.getBoundingClientRect();
    setSize({ width: box?.width ?? 0, height: box?.height ?? 0 });
    markStep("ui: canvas measured");
  }, []);
  if (size === null) return <div ref={frame} className="canvas" data-testid="canvas" />;
  return (
    <ReactFlowProvider
      initialNodes={laid.nodes}
      initialEdges={laid.edges}
      // 0 (a canvas not laid out yet) is what React Flow starts from anyway; it measures the pane.
      initialWidth={size.width}
      initialHeight={size.height}
    >
      <Canvas {...props} laid={laid} size={size} />
    </ReactFlowProvider>
  );
}

type Size = { width: number; height: number };
type CanvasProps = {
  bot: BotView;
  selectedBlock: string | undefined;
  activeSequence: string | undefined;
  actions: CanvasActions;
  onSelectBlock: (blockId: string, sequenceId: string) => void;
  onDeleteBlock: (blockId: string) => void;
  onClearSelection: () => void;
};

function Canvas({
  bot,
  selectedBlock,
  activeSequence,
  actions,
  onSelectBlock,
  onDeleteBlock,
  onClearSelection,
  laid,
  size,
}: CanvasProps & { laid: FlowLayout; size: Size }) {
  // React Flow's helpers, for the handlers below to call when they run. Taken from `onInit`
  // rather than `useReactFlow`, which renders its caller again once the viewport is ready: here
  // that is the whole canvas, a moment after it first appeared (11 ms less from the click on
  // Open to a clickable card, median of 30 paired cold starts).
  const helpers = useRef<ReactFlowInstance<CanvasNode> | null>(null);
  const onInit = useCallback((instance: ReactFlowInstance<CanvasNode>) => {
    helpers.current = instance;
  }, []);
  const reveal = useReveal(helpers);
  // A read-only file: the cards cannot be dragged, moved with the keyboard or deleted.
  const readOnly = useReadOnly();
  const [dragState, setDrag] = useState<Drag | null>(null);
  // A block removed meanwhile (by a teammate, through sync) ends its drag: React Flow stops
  // following it without a drop.
  const drag = dragState !== null && laid.lanes.some((l) => l.blocks.some((b) => b.id === dragState.id)) ? dragState : null;
  // Set by Escape: the rest of that drag, until the button is released, is ignored.
  const cancelled = useRef(false);

  // While a card is dragged over a lane, the canvas is drawn as it would be after the drop: the
  // cards part to open a slot where it would land (the drop is then where it was shown). Only
  // this picture moves; the drop target is worked out on the layout as it is (`laid`).
  const targetSequence = drag?.target?.sequenceId;
  const targetIndex = drag?.target?.index;
  const draggedId = drag?.id;
  const shown = useMemo(
    () =>
      draggedId === undefined || targetSequence === undefined || targetIndex === undefined
        ? laid
        : layout(movedView(bot, draggedId, targetSequence, targetIndex), activeSequence),
    [laid, bot, activeSequence, draggedId, targetSequence, targetIndex],
  );

  // Only the nodes that change (the selected one, the dragged one, the lane it would drop into)
  // get new objects; the others keep their identity.
  const nodes = useMemo<CanvasNode[]>(() => {
    const all = shown.nodes.map((node): CanvasNode => {
      const movable = readOnly && node.type === "block" ? { ...node, draggable: false } : node;
      const withSelection = movable.id === selectedBlock ? { ...movable, selected: true } : movable;
      if (drag === null) return withSelection;
      if (withSelection.type === "block" && withSelection.id === drag.id) {
        return { ...withSelection, position: drag.position, zIndex: 1000, className: "block-node-dragged" };
      }
      if (withSelection.type === "lane" && drag.target?.sequenceId === withSelection.data.sequenceId) {
        return { ...withSelection, data: { ...withSelection.data, dropping: true } };
      }
      return withSelection;
    });
    const landing = drag?.target ? shown.nodes.find((n) => n.id === drag.id) : undefined;
    if (landing !== undefined) {
      const slot: DropSlotNode = {
        id: "drop-slot",
        type: "drop",
        position: landing.position,
        width: BLOCK_WIDTH,
        height: BLOCK_HEIGHT,
        data: {},
        draggable: false,
        selectable: false,
        focusable: false,
        connectable: false,
        zIndex: 1,
        handles: [],
        ariaRole: "presentation",
        // Never in the way of what is under it, whatever React Flow gives a node by default.
        style: { pointerEvents: "none" },
        domAttributes: { "data-testid": "drop-slot" } as Record<string, string>,
      };
      all.push(slot);
    }
    return all;
  }, [shown, selectedBlock, drag, readOnly]);
  // The dragged card's edges would stretch after it like rubber bands; they go while it moves.
  const edges = useMemo(
    () =>
      draggedId === undefined
        ? shown.edges
        : shown.edges.filter((e) => e.source !== draggedId && e.target !== draggedId),
    [shown.edges, draggedId],
  );
  // The view the canvas opens on, worked out from the layout and the canvas's size before its
  // first frame, so the flow is drawn in place at once rather than drawn, measured and then moved
  // (a click in between would land where a card no longer is). Once: later edits keep the
  // designer's pan and zoom.
  const [opening] = useState<Viewport>(() => openingViewport(laid.nodes, size.width, size.height, MIN_ZOOM));
  useLayoutEffect(() => {
    markStep("ui: flow committed");
  }, []);

  const canvasActions = useMemo<CanvasActions>(() => ({ ...actions, reveal }), [actions, reveal]);

  const onNodeClick = useCallback<NodeMouseHandler<CanvasNode>>(
    (_, node) => {
      if (node.type === "block") onSelectBlock(node.id, node.data.sequenceId);
      else if (node.type === "lane") actions.selectSequence(node.data.sequenceId);
    },
    [onSelectBlock, actions],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      // Positions are the layout's (and the drag's, below); only a selection is taken from here.
      for (const change of changes) {
        if (change.type === "select" && change.selected) {
          const node = laid.nodes.find((n) => n.id === change.id);
          if (node?.type === "block") onSelectBlock(node.id, node.data.sequenceId);
        }
      }
    },
    [laid, onSelectBlock],
  );

  const pointer = useCallback(
    (event: MouseEvent | TouchEvent): XYPosition | null => {
      const at = "clientX" in event ? event : (event.changedTouches[0] ?? null);
      if (at === null || helpers.current === null) return null;
      return helpers.current.screenToFlowPosition({ x: at.clientX, y: at.clientY });
    },
    [],
  );
  const targetAt = useCallback(
    (event: MouseEvent | TouchEvent, blockId: string) => {
      const at = pointer(event);
      return at === null ? null : dropTarget(laid.lanes, blockId, at);
    },
    [pointer, laid],
  );

  const onNodeDragStart = useCallback<OnNodeDrag<CanvasNode>>(
    (event, node) => {
      cancelled.current = false;
      if (node.type !== "block") return;
      setDrag({
        id: node.id,
        name: node.data.card.name,
        from: { sequenceId: node.data.sequenceId, index: node.data.index },
        position: node.position,
        target: targetAt(event, node.id),
      });
    },
    [targetAt],
  );
  const onNodeDrag = useCallback<OnNodeDrag<CanvasNode>>(
    (event, node) => {
      if (cancelled.current || node.type !== "block") return;
      const target = targetAt(event, node.id);
      setDrag((current) => (current?.id === node.id ? { ...current, position: node.position, target } : current));
    },
    [targetAt],
  );
  const onNodeDragStop = useCallback<OnNodeDrag<CanvasNode>>(
    (event, node) => {
      const wasCancelled = cancelled.current;
      cancelled.current = false;
      setDrag(null);
      // Where the block is: the node handed back is the preview's, already in its new place.
      const stored = laid.nodes.find((n) => n.id === node.id);
      if (wasCancelled || stored?.type !== "block") return;
      const target = targetAt(event, node.id);
      if (target === null || staysInPlace(target, stored.data)) return;
      // The builder shows the block in its new place at once, in this same render.
      void actions.move(node.id, target.sequenceId, target.index);
    },
    [targetAt, actions, laid],
  );

  // Escape while dragging puts the card back; the pointer then moves nothing until released.
  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      event.stopPropagation();
      cancelled.current = true;
      setDrag(null);
    };
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
    };
  }, [dragging]);

  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    // React Flow nudges a focused, selected, draggable node with the arrow keys; blocks have no
    // free position (their place is their order), so arrows never reach it. With Alt they move
    // the focused block a place (up, down) or a sequence (left, right), keeping the focus on it.
    const step = ARROWS[event.key];
    const target = event.target as HTMLElement;
    if (step === undefined || !target.classList.contains("react-flow__node-block")) return;
    event.stopPropagation();
    if (!event.altKey || drag !== null || readOnly) return;
    event.preventDefault();
    const blockId = target.dataset.id;
    const to = blockId === undefined ? null : stepTarget(laid.lanes, blockId, step);
    if (blockId === undefined || to === null) return;
    void actions.move(blockId, to.sequenceId, to.index).then((moved) => {
      if (moved) reveal(blockId);
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!isDeleteKey(event) || selectedBlock === undefined || readOnly) return;
    event.preventDefault();
    onDeleteBlock(selectedBlock);
  };

  return (
    <CanvasActionsContext.Provider value={canvasActions}>
      <div
        className={`canvas${dragging ? " canvas-dragging" : ""}`}
        onKeyDownCapture={onKeyDownCapture}
        onKeyDown={onKeyDown}
        data-testid="canvas"
      >
        <ReactFlow<CanvasNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          onInit={onInit}
          onNodeClick={onNodeClick}
          onNodesChange={onNodesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDrag={onNodeDrag}
          onNodeDragStop={onNodeDragStop}
          onPaneClick={onClearSelection}
          nodesDraggable={false}
          nodeDragThreshold={DRAG_THRESHOLD}
          selectNodesOnDrag={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode={null}
          panOnScroll
          zoomOnDoubleClick={false}
          onlyRenderVisibleElements
          defaultViewport={opening}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          proOptions={PRO_OPTIONS}
          ariaLabelConfig={{
            "node.a11yDescription.default":
              "Press Enter to open the block, Delete to remove it, Alt and an arrow key to move it up, down or to the sequence beside.",
          }}
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
          <Controls showInteractive={false} />
          <KeepInView nodeId={selectedBlock} />
        </ReactFlow>
        {drag !== null && <DragHint drag={drag} />}
      </div>
    </CanvasActionsContext.Provider>
  );
}

/** Where a dragged card would land: the open slot it would fill, outlined. */
function DropSlotView() {
  return <div className="drop-slot" aria-hidden="true" />;
}

/** Says, while a card is dragged, where it would go, and how to take it back. */
function DragHint({ drag }: { drag: Drag }) {
  const { target } = drag;
  let text: string;
  if (target === null) text = `Release to put ${drag.name} back`;
  else if (staysInPlace(target, drag.from)) text = `${drag.name} stays where it is`;
  else {
    text = `Move ${drag.name} to ${target.name}, position ${String(target.index + 1)} of ${String(target.of)}`;
  }
  return (
    <div className={`drag-hint${target === null ? " drag-hint-away" : ""}`} role="status" data-testid="drag-hint">
      <span>{text}</span> <kbd>Esc</kbd> <span className="drag-hint-muted">cancels</span>
    </div>
  );
}

/**
 * Returns a function that pans to a block when it is outside the visible area (keeping the
 * zoom) and puts the keyboard focus on its node: after a move from a card's menu, the block is
 * where the designer is looking and typing next.
 *
 * React Flow's helpers, the canvas's size and its element are read when it is called (before the
 * viewport is ready, it does nothing), not subscribed to: the function stays the same as React
 * Flow mounts and as the canvas resizes (a block's panel opening), so the cards, which get it
 * through `CanvasActionsContext`, are not all rendered again each time.
 */
function useReveal(helpers: RefObject<ReactFlowInstance<CanvasNode> | null>) {
  const flow = useStoreApi<CanvasNode>();
  return useCallback(
    (blockId: string) => {
      // After the move has been drawn: the node is then at its new place.
      requestAnimationFrame(() => {
        if (helpers.current === null) return;
        const { getInternalNode, getNodesBounds, getViewport, setCenter } = helpers.current;
        const node = getInternalNode(blockId);
        if (node === undefined) return;
        const { width, height, domNode } = flow.getState();
        const viewport = getViewport();
        const place = placeInView(getNodesBounds([node]), viewport, width, height);
        const focus = () => {
          domNode?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(blockId)}"]`)?.focus();
        };
        if (place.inside) focus();
        else void setCenter(place.center.x, place.center.y, { zoom: viewport.zoom, duration: 200 }).then(focus);
      });
    },
    [helpers, flow],
  );
}

/**
 * Opening a block's panel narrows the canvas; when that (or any resize) leaves the selected
 * block outside the visible area, the view moves to it, keeping the designer's zoom.
 */
function KeepInView({ nodeId }: { nodeId: string | undefined }) {
  const { getInternalNode, getNodesBounds, getViewport, setCenter } = useReactFlow<CanvasNode>();
  const width = useFlowStore((state) => state.width);
  const height = useFlowStore((state) => state.height);
  useEffect(() => {
    if (nodeId === undefined || width === 0 || height === 0) return;
    const node = getInternalNode(nodeId);
    if (node === undefined) return;
    const viewport = getViewport();
    const place = placeInView(getNodesBounds([node]), viewport, width, height);
    // At once, like the panel that narrowed the canvas: a glide here drew its frames while the
    // panel was filling in and, where the window paints on the CPU, delayed its Webhook URL by
    // ~30 ms (12 paired cold starts: 78 against 108 ms from the click).
    if (!place.inside) void setCenter(place.center.x, place.center.y, { zoom: viewport.zoom, duration: 0 });
  }, [nodeId, width, height, getInternalNode, getNodesBounds, getViewport, setCenter]);
  return null;
}
