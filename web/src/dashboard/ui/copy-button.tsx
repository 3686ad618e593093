import { useState } from 'react';
import { Button } from './button.js';

/** Copies a text; says "Copied" for a moment so the person knows it worked. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const [failed, setFailed] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setFailed(false);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access is refused on plain http and in some browsers: the text stays
      // selectable on the page.
      setFailed(true);
    }
  };
  return (
    <Button variant="secondary" onClick={() => void copy()} aria-live="polite">
      {copied ? 'Copied' : failed ? 'Copy failed: select the text' : label}
    </Button>
  );
}

export function Code({ code, label }: { code: string; label: string }) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"
    >
      <code>{code}</code>
    </pre>
  );
}
