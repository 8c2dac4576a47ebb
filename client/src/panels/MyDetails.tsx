/**
 * "My details" in the toolbar (hosts and participants): change the name, email or who may see
 * it (the join dialog again), or "Remove me and my notes" — confirmed, then `contact:erase`
 * erases this device's notes, connectors, votes and contact details from the wall (R92).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../sync/session.ts';
import { errorText } from '../i18n/errors.ts';

export interface MyDetailsProps {
  session: SessionInfo;
  /** Opens the details dialog. */
  onEdit(): void;
  /** The server erased us (number of notes erased). */
  onErased(notes: number): void;
  onMessage(text: string): void;
}

export function MyDetails({ session, onEdit, onErased, onMessage }: MyDetailsProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const erase = async () => {
    if (!window.confirm(t('me.eraseConfirm'))) return;
    setBusy(true);
    const res = await session.call('contact:erase', {});
    setBusy(false);
    setOpen(false);
    if (res.ok) onErased(res.notes);
    else onMessage(errorText(t, res.error));
  };
  return (
    <div className="presence my-details">
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="my-details">
        {t('me.button')}
      </button>
      {open && (
        <div className="presence-list my-details-menu">
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              onEdit();
            }}
          >
            {t('me.edit')}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void erase()} data-testid="erase-me">
            {t('me.erase')}
          </button>
        </div>
      )}
    </div>
  );
}
