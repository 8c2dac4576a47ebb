/**
 * i18next with the two languages of the webinars. The language is detected from the browser on
 * first visit, then kept per device (localStorage); `<html lang>` follows it for screen readers.
 */
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { fr } from './fr.ts';
import { en } from './en.ts';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANG_STORAGE_KEY = 'maillage.lang';

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    supportedLngs: LANGUAGES,
    nonExplicitSupportedLngs: true,
    fallbackLng: 'fr',
    load: 'languageOnly',
    interpolation: { escapeValue: false },
    showSupportNotice: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANG_STORAGE_KEY,
      caches: ['localStorage'],
    },
  });

const syncHtmlLang = (lng: string) => {
  document.documentElement.lang = currentLanguage(lng);
};
syncHtmlLang(i18n.language);
i18n.on('languageChanged', syncHtmlLang);

export function currentLanguage(lng: string = i18n.language): Language {
  return lng?.startsWith('en') ? 'en' : 'fr';
}

export function toggleLanguage(): void {
  void i18n.changeLanguage(currentLanguage() === 'fr' ? 'en' : 'fr');
}

export default i18n;
