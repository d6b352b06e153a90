import { useId, useState, type KeyboardEvent } from "react";

import type { CurlPair, Environment as Env, Shell } from "../../backend/panel.ts";

const TABS: { env: Env; label: string }[] = [
  { env: "production", label: "Production" },
  { env: "development", label: "Development" },
];

const SHELLS: { shell: Shell; label: string }[] = [
  { shell: "posix", label: "bash / zsh" },
  { shell: "powershell", label: "PowerShell" },
];

/**
 * Sample Curl Request: one tab per environment, for a POSIX shell or PowerShell, each copyable
 * (the copy has the real token; what is shown has it masked).
 */
export function CurlSamples({ curl, onCopy }: { curl: CurlPair; onCopy: (env: Env, shell: Shell) => void }) {
  const id = useId();
  const [env, setEnv] = useState<Env>("production");
  const [shell, setShell] = useState<Shell>("posix");
  const shown =
    shell === "posix"
      ? curl[env]
      : env === "production"
        ? curl.productionPowershell
        : curl.developmentPowershell;
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
        <div className="env-toggle" role="group" aria-label="Shell">
          {SHELLS.map((option) => (
            <button
              key={option.shell}
              type="button"
              className="segment"
              aria-pressed={shell === option.shell}
              onClick={() => {
                setShell(option.shell);
              }}
            >
              {option.label}
            </button>
          ))}
        </div>
        <pre className="curl-text" tabIndex={0}>
          {shown}
        </pre>
        <button
          type="button"
          className="button"
          onClick={() => {
            onCopy(env, shell);
          }}
        >
          {shell === "posix" ? "Copy cURL" : "Copy PowerShell command"}
        </button>
      </div>
    </section>
  );
}
