/**
 * A message from Rust as a sentence: what it quotes in backticks (what was typed, a path, a
 * header) is shown as code, without the backticks. Rust writes its messages once, for the CLI's
 * plain text too; this is how the window shows the quoting.
 */
export function MessageText({ text }: { text: string }) {
  // Split on a pair of backticks around something: the odd parts are the quoted ones. A lone
  // backtick (in a quoted value, say) has no pair and stays as typed.
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="message-code">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
