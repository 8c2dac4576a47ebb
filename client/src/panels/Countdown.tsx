/** The session timer, counting down on the server's clock (corrected for this device's skew). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function Countdown({ endsAt, clockOffset, large }: { endsAt: number | null; clockOffset: number; large?: boolean }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (endsAt === null) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [endsAt]);
  if (endsAt === null) return null;
  const left = Math.max(0, Math.ceil((endsAt - (now + clockOffset)) / 1000));
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <span className={`countdown${left === 0 ? ' done' : ''}${large ? ' large' : ''}`} role="timer" aria-label={t('wall.timer')} data-testid="countdown">
      {mm}:{ss}
    </span>
  );
}
