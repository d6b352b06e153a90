import { useContext, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import type { BlockCard } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { useToast } from "../toast/useToast.ts";
import { CanvasActionsContext, type SequenceChoice } from "./CanvasActions.ts";

const MENU_WIDTH = 220;

/**
 * A card's "Move to" button and its menu of the bot's other sequences: how the keyboard (and a
 * pointer that would rather not drag) moves a block to another sequence. The block goes to the
 * end of the chosen sequence; its move buttons place it from there.
 *
 * The menu is drawn over the page, not in the canvas, so it is never hidden by the next card
 * and reads at its normal size whatever the zoom. Its events stop at its edge: React would
 * otherwise carry a click or a key to the node behind it (selecting the block, or deleting it).
 */
export function MoveToMenu({ card, sequenceId }: { card: BlockCard; sequenceId: string }) {
  const { move, sequences, reveal } = useContext(CanvasActionsContext);
  const toast = useToast();
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const others = sequences.filter((s) => s.id !== sequenceId);

  useEffect(() => {
    if (anchor === null) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (event: Event) => {
      const target = event.target as Node | null;
      return !(menu.current?.contains(target) ?? false) && !(button.current?.contains(target) ?? false);
    };
    const onPointerDown = (event: PointerEvent) => {
      if (outside(event)) setAnchor(null);
    };
    // The menu stays where the button was; when the canvas or the window moves, it closes.
    const onMove = (event: Event) => {
      if (outside(event)) setAnchor(null);
    };
    const onResize = () => {
      setAnchor(null);
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    document.addEventListener("wheel", onMove, { capture: true, passive: true });
    window.addEventListener("resize", onResize);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown, true);
      document.removeEventListener("wheel", onMove, { capture: true });
      window.removeEventListener("resize", onResize);
    };
  }, [anchor]);

  const close = () => {
    setAnchor(null);
    button.current?.focus();
  };

  const choose = (target: SequenceChoice) => {
    setAnchor(null);
    void move(card.id, target.id, target.blocks).then((moved) => {
      if (!moved) return;
      toast.show(`Moved ${card.name} to ${target.name}`);
      reveal?.(card.id);
    });
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    event.stopPropagation();
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number) => {
      items[(i + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case "ArrowDown":
        focus(at + 1);
        break;
      case "ArrowUp":
        focus(at - 1);
        break;
      case "Home":
        focus(0);
        break;
      case "End":
        focus(items.length - 1);
        break;
      case "Escape":
      case "Tab":
        close();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const open = () => {
    const rect = button.current?.getBoundingClientRect();
    if (rect !== undefined) setAnchor(rect);
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="icon-button icon-button-tiny"
        aria-label={`Move ${card.name} to another sequence`}
        title={others.length === 0 ? "No other sequence to move to" : "Move to another sequence"}
        aria-haspopup="menu"
        aria-expanded={anchor !== null}
        aria-controls={anchor !== null ? menuId : undefined}
        disabled={others.length === 0}
        onClick={(event) => {
          event.stopPropagation();
          if (anchor === null) open();
          else setAnchor(null);
        }}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && anchor === null) {
            event.preventDefault();
            event.stopPropagation();
            open();
          }
        }}
      >
        <Icon name="sequence" size={14} />
      </button>
      {anchor !== null &&
        createPortal(
          <div
            ref={menu}
            id={menuId}
            role="menu"
            aria-label={`Move ${card.name} to`}
            className="move-menu nokey"
            style={{
              top: anchor.bottom + 4,
              left: Math.max(8, Math.min(anchor.right - MENU_WIDTH, window.innerWidth - MENU_WIDTH - 8)),
              width: MENU_WIDTH,
            }}
            onKeyDown={onMenuKeyDown}
            onClick={(event) => {
              event.stopPropagation();
            }}
            onDoubleClick={(event) => {
              event.stopPropagation();
            }}
          >
            <p className="move-menu-title" aria-hidden="true">
              Move to the end of
            </p>
            {others.map((sequence) => (
              <button
                key={sequence.id}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="move-menu-item"
                onClick={() => {
                  choose(sequence);
                }}
              >
                <Icon name="sequence" size={14} />
                <span className="move-menu-name">{sequence.name}</span>
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
