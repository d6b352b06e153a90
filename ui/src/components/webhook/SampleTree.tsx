import type { SampleNode } from "../../backend/panel.ts";
import { Icon } from "../common/Icon.tsx";
import { countOf } from "../common/countOf.ts";
import { useReadOnly } from "../../app/readOnly.ts";

/**
 * The sample body as a collapsible tree; "+" on a leaf adds a Save in variables row for its
 * path (Rust picks the path and the variable name).
 */
export function SampleTree({ root, onMap }: { root: SampleNode; onMap: (path: string) => void }) {
  return (
    <section className="panel-section" aria-labelledby="sample-tree-title">
      <h3 id="sample-tree-title" className="section-title">
        Sample body
      </h3>
      <p className="field-hint">Press + on a value to save it in a variable.</p>
      <ul className="tree" role="tree" aria-labelledby="sample-tree-title">
        {root.children.map((child) => (
          <TreeNode key={child.key} node={child} onMap={onMap} />
        ))}
        {root.more > 0 && <li className="tree-more">…and {root.more} more</li>}
      </ul>
    </section>
  );
}

function TreeNode({ node, onMap }: { node: SampleNode; onMap: (path: string) => void }) {
  // A read-only file: a field can be read, not mapped.
  const readOnly = useReadOnly();
  const branch = node.kind === "object" || node.kind === "array";
  if (branch) {
    // What the branch holds, in words ("3 fields", "1 item"), counting what the sample cut off.
    const size = node.children.length + node.more;
    return (
      <li role="treeitem" aria-selected={false}>
        <details open>
          <summary>
            <span className="tree-key">{node.key}</span>{" "}
            <span className="muted">
              {node.kind === "array" ? countOf(size, "item", "items") : countOf(size, "field", "fields")}
            </span>
          </summary>
          <ul role="group">
            {node.children.map((child) => (
              <TreeNode key={child.key} node={child} onMap={onMap} />
            ))}
            {node.more > 0 && <li className="tree-more">…and {node.more} more</li>}
          </ul>
        </details>
      </li>
    );
  }
  const path = node.path;
  return (
    <li role="treeitem" aria-selected={false} className="tree-leaf">
      <span className="tree-key">{node.key}</span>
      <code className="tree-value">{node.preview}</code>
      {node.mappedTo !== null ? (
        <span className="badge" title="Saved in this variable">
          <Icon name="arrow-right" size={12} />
          {node.mappedTo}
        </span>
      ) : (
        path !== null &&
        !readOnly && (
          <button
            type="button"
            className="icon-button"
            aria-label={`Map ${path}`}
            onClick={() => {
              onMap(path);
            }}
          >
            +
          </button>
        )
      )}
    </li>
  );
}
