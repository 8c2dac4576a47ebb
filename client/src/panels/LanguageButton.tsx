import { useTranslation } from 'react-i18next';
import { toggleLanguage, currentLanguage } from '../i18n/index.ts';

/** One click switches between French and English; the choice is kept on this device. */
export function LanguageButton() {
  const { t, i18n } = useTranslation();
  const other = currentLanguage(i18n.language) === 'fr' ? 'en' : 'fr';
  return (
    <button type="button" className="lang" onClick={toggleLanguage} aria-label={t('app.switchLanguageLabel')} lang={other}>
      {t('app.switchLanguage')}
    </button>
  );
}
