/**
 * The session timer, counting down on the server's clock (corrected for this device's skew).
 *
 * When it reaches zero every screen says so (docs/spec.md R123): a "time's up" banner for
 * END_SIGNAL_MS, a short beep on the projected screen (`sound`: the room hears it once, phones
 * stay quiet), then the timer disappears — it does not sit at a red 00:00 for the rest of the
 * session. A page opened long after the end shows nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../projection/projection.css';

/** How long the end banner stays, ms. */
export const END_SIGNAL_MS = 8000;

export function Countdown({ endsAt, clockOffset, large, sound }: { endsAt: number | null; clockOffset: number; large?: boolean; sound?: boolean }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const serverNow = now + clockOffset;
  const over = endsAt !== null && serverNow - endsAt >= END_SIGNAL_MS;
  useEffect(() => {
    if (endsAt === null || over) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [endsAt, over]);

  // Beep once, only if this page saw the timer running (not on a page opened after the end).
  const sawRunning = useRef<number | null>(null);
  const beeped = useRef<number | null>(null);
  const ended = endsAt !== null && serverNow >= endsAt;
  if (endsAt !== null && !ended) sawRunning.current = endsAt;
  useEffect(() => {
    if (!ended || !sound || endsAt === null || sawRunning.current !== endsAt || beeped.current === endsAt) return;
    beeped.current = endsAt;
    beep();
  }, [ended, sound, endsAt]);

  if (endsAt === null || over) return null;
  const left = Math.max(0, Math.ceil((endsAt - serverNow) / 1000));
  const mm = String(Math.floor(left / 60)).padStart(2, '0');
  const ss = String(left % 60).padStart(2, '0');
  return (
    <>
      <span className={`countdown${left === 0 ? ' done' : ''}${large ? ' large' : ''}`} role="timer" aria-label={t('wall.timer')} data-testid="countdown">
        {mm}:{ss}
      </span>
      {ended && (
        <span className="timer-ended" role="alert" data-testid="timer-ended">
          {t('timerEnd.ended')}
        </span>
      )}
    </>
  );
}

/** Three short tones (WebAudio, no file to load). Silent where audio is unavailable or blocked. */
function beep(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const start = ctx.currentTime;
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.35, start + i * 0.35 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.35);
      osc.stop(start + i * 0.35 + 0.3);
    }
    (window as unknown as { __maillageBeeps?: number }).__maillageBeeps = ((window as unknown as { __maillageBeeps?: number }).__maillageBeeps ?? 0) + 1;
    setTimeout(() => void ctx.close().catch(() => {}), 1500);
  } catch {
    /* no audio: the banner is the signal */
  }
}
