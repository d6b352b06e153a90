import { useEffect, useId, useRef, useState } from "react";

import type { FieldProblem } from "../../backend/panel.ts";
import { ProblemList, problemAttributes } from "./ProblemList.tsx";
import { useReadOnly } from "../../app/readOnly.ts";

/** The block's name, renamed on blur or Enter; what was typed stays if the rename fails. */
export function BlockName({
  name,
  problems,
  onRename,
}: {
  name: string;
  problems: readonly FieldProblem[];
  onRename: (name: string) => Promise<void>;
}) {
  const id = useId();
  const readOnly = useReadOnly();
  const [value, setValue] = useState(name);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) {
      setValue(name);
    }
  }, [name]);
  const commit = () => {
    editing.current = false;
    if (value !== name) {
      void onRename(value);
    }
  };
  return (
    <div className="block-name">
      <input
        className="block-name-input"
        aria-label="Block name"
        data-field="name"
        readOnly={readOnly}
        value={value}
        onFocus={() => {
          editing.current = true;
        }}
        onChange={(e) => {
          setValue(e.target.value);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
        }}
        {...problemAttributes(`${id}-problems`, problems)}
      />
      <ProblemList id={`${id}-problems`} problems={problems} onUse={(s) => void onRename(s)} />
    </div>
  );
}
