import { useTranslation } from 'react-i18next';
import { LanguageButton } from '../panels/LanguageButton.tsx';

export function NotFound({ message }: { message?: string }) {
  const { t } = useTranslation();
  return (
    <main className="page narrow">
      <header className="page-header">
        <a href="/" className="brand">
          {t('app.name')}
        </a>
        <LanguageButton />
      </header>
      <h1>{t('notFound.heading')}</h1>
      {message && <p role="alert">{message}</p>}
      <p>
        <a href="/">{t('wall.backHome')}</a>
      </p>
    </main>
  );
}
