import type { TemplateCard, TemplateId } from "../../backend/builder.ts";
import { Icon } from "../common/Icon.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/** The templates Rust offers, each a working flow a bot can start from. */
export function TemplateList({
  templates,
  busy,
  onUse,
}: {
  templates: TemplateCard[];
  busy: TemplateId | null;
  onUse: (template: TemplateId) => void;
}) {
  const readOnly = useReadOnly();
  return (
    <ul className="template-list" aria-labelledby="templates-title">
      {templates.map((template) => (
        <li key={template.id} className="template-card" data-testid={`template-${template.id}`}>
          <div className="template-card-head">
            <Icon name="webhook" size={16} />
            <h3>{template.name}</h3>
          </div>
          <p>{template.description}</p>
          <div className="template-card-foot">
            <span className="badge">{template.channel}</span>
            <button
              type="button"
              className="button button-small"
              aria-label={`Use template ${template.name}`}
              disabled={busy !== null || readOnly}
              onClick={() => {
                onUse(template.id);
              }}
            >
              {busy === template.id ? "Creating…" : "Use template"}
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
