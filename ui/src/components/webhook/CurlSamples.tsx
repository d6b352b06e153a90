import { useId, useState, type KeyboardEvent } from "react";

import type { CurlPair, Environment as Env } from "../../backend/panel.ts";
const TABS: { env: Env; label: string }[] = [
  { env: "production", label: "Production" },
  { env: "development", label: "Development" },
];

/** Sample Curl Request: one tab per environment, each copyable (the copy has the real token). */
export function CurlSamples({ curl, onCopy }: { curl: CurlPair; onCopy: (env: Env) => void }) {
  const id = useId();
  const [env, setEnv] = useState<Env>("production");
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      const next = env === "production" ? "development" : "production";
      setEnv(next);
      document.getElementById(`${id}-tab-${next}`)?.focus();
    }
  };
  return (
    <section className="panel-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        Sample Curl Request
      </h3>
      <div role="tablist" aria-label="Sample Curl Request" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.env}
            id={`${id}-tab-${tab.env}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={env === tab.env}
            aria-controls={`${id}-panel`}
            tabIndex={env === tab.env ? 0 : -1}
            onClick={() => {
              setEnv(tab.env);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${env}`} className="curl">
        <pre className="curl-text" tabIndex={0}>
          {curl[env]}
        </pre>
        <button
          type="button"
          className="button"
          onClick={() => {
            onCopy(env);
          }}
        >
          Copy cURL
        </button>
      </div>
    </section>
  );
}
