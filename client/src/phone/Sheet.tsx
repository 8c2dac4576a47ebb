/**
 * A bottom sheet on a phone: a native modal `<dialog>`, so the page behind is inert, focus stays
 * inside, screen readers announce a dialog, and Escape closes it. A tap on the dimmed backdrop
 * closes it too (it lands on the dialog element itself, outside the content). Focus goes back to
 * whatever opened it.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface SheetProps {
  /** The sheet's heading (also its accessible name). */
  title: ReactNode;
  /** A plain-text name when the heading is not plain text. */
  label?: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function Sheet({ title, label, onClose, children, className = '', testId }: SheetProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useRef(`sheet-${Math.random().toString(36).slice(2)}`).current;
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    // The sheet's own content, not its close button, is what a person came for.
    d?.querySelector<HTMLElement>('.sheet-body')?.focus({ preventScroll: true });
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className={`sheet phone-sheet ${className}`}
      aria-labelledby={label ? undefined : headingId}
      aria-label={label}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="sheet-head">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="sheet-close" onClick={onClose}>
          {t('phone.close')}
        </button>
      </div>
      <div className="sheet-body" tabIndex={-1}>
        {children}
      </div>
    </dialog>
  );
}
