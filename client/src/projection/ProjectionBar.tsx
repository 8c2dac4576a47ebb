/**
 * The bar above the projected wall: the wall's title, how many people are in, the timer (with
 * its end sound, which this device may mute, R193), the QR code, the map and the way out.
 */
import { useTranslation } from 'react-i18next';
import { Countdown } from '../panels/Countdown.tsx';
import { useTimerSound } from './timerSound.ts';

export interface ProjectionBarProps {
  title: string;
  participants: number;
  timerEndsAt: number | null;
  clockOffset: number;
  showQr: boolean;
  onQr(): void;
  /** Null when this screen may not open the map. */
  mapOpen: boolean | null;
  onMap(): void;
  onExit(): void;
}

export function ProjectionBar({ title, participants, timerEndsAt, clockOffset, showQr, onQr, mapOpen, onMap, onExit }: ProjectionBarProps) {
  const { t } = useTranslation();
  const [sound, toggleSound] = useTimerSound();
  return (
    <header className="projection-bar">
      <h1>{title}</h1>
      <span className="big-count" aria-live="polite">
        {t('wall.participants', { count: participants })}
      </span>
      <Countdown endsAt={timerEndsAt} clockOffset={clockOffset} large sound={sound} />
      <span className="spacer" />
      <button type="button" className="sound-toggle" aria-pressed={sound} title={t('projection.soundHelp')} onClick={toggleSound} data-testid="sound-toggle">
        {sound ? t('projection.soundOn') : t('projection.soundOff')}
      </button>
      <button type="button" onClick={onQr}>
        {showQr ? t('host.hideQr') : t('host.showQr')}
      </button>
      {mapOpen !== null && (
        <button type="button" aria-pressed={mapOpen} onClick={onMap}>
          {mapOpen ? t('map.close') : t('map.open')}
        </button>
      )}
      <button type="button" onClick={onExit}>
        {t('host.exitProjection')}
      </button>
    </header>
  );
}
