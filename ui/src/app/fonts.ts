import "@fontsource-variable/inter";
import "@fontsource-variable/jetbrains-mono";

/**
 * The window's two typefaces, Inter (text) and JetBrains Mono (URLs, tokens, cURL), ship with the
 * app (SIL Open Font License, from Fontsource), each as one variable font per script subset.
 *
 * They are loaded before the first render (`loadFonts`, from main.tsx) so that the first layout
 * already uses them: text laid out while a face is still loading would be measured with the
 * fallback family first, and finding that family is the slow part on Linux (fontconfig), which
 * is what shipping the faces avoids. Only the Latin subset is asked for here; the others load
 * when a bot's text needs them.
 */
const FIRST_SCREEN_FACES = ['400 14px "Inter Variable"', '400 13px "JetBrains Mono Variable"'];

/** Resolves once the faces are loaded (or failed: the generic family stands in), or after `limitMs`. */
export function loadFonts(limitMs: number): Promise<void> {
  if (typeof document === "undefined" || !("fonts" in document)) return Promise.resolve();
  const loaded = Promise.all(FIRST_SCREEN_FACES.map((face) => document.fonts.load(face))).then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, limitMs))]);
}
