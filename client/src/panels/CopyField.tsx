import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A read-only link with a copy button, as shown to the host after creating a wall. */
export function CopyField({ label, help, value, testId }: { label: string; help?: string; value: string; testId?: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} aria-describedby={help ? `${id}-help` : undefined} />
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? t('landing.copied') : t('landing.copy')}
        </button>
      </div>
      {help && (
        <p id={`${id}-help`} className="muted small">
          {help}
        </p>
      )}
    </div>
  );
}
