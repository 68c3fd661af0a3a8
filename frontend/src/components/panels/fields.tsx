import { useEffect, useId, useState } from "react";

interface NumberFieldProps {
  label: string;
  value: number | undefined;
  placeholder?: string;
  min?: number;
  integer?: boolean;
  help?: string;
  testId?: string;
  onChange: (value: number | undefined) => void;
}

/** A number input that accepts what the user types, and applies it only when it is valid. */
export function NumberField({
  label,
  value,
  placeholder,
  min = 0,
  integer = false,
  help,
  testId,
  onChange,
}: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? "" : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) =>
      Number(t) === value && t !== "" ? t : value === undefined ? "" : String(value),
    );
  }, [value]);
  const change = (raw: string) => {
    setText(raw);
    if (raw.trim() === "") {
      setError(null);
      onChange(undefined);
      return;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) setError("Enter a number.");
    else if (integer && !Number.isInteger(n)) setError("Enter a whole number.");
    else if (n < min) setError(`Enter ${min} or more.`);
    else {
      setError(null);
      onChange(n);
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={integer ? "numeric" : "decimal"}
        min={min}
        step={integer ? 1 : "any"}
        value={text}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        data-testid={testId}
        onChange={(e) => change(e.target.value)}
      />
      {error ? (
        <div className="field-error">{error}</div>
      ) : help ? (
        <div className="field-help">{help}</div>
      ) : null}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  placeholder?: string;
  help?: string;
  list?: string;
  testId?: string;
  onChange: (value: string) => void;
}

export function TextField({
  label,
  value,
  placeholder,
  help,
  list,
  testId,
  onChange,
}: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        list={list}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
      />
      {help ? <div className="field-help">{help}</div> : null}
    </div>
  );
}
