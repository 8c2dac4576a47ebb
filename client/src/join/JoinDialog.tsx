/**
 * Asked once per device: name, email, organization, note colour, with a plain-language line on
 * who will see the email. Remembered locally for the next wall.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, NOTE_COLORS } from '@maillage/shared';
import { isValidEmail, type Profile } from '../sync/profile.ts';

export function JoinDialog({ initial, onDone }: { initial: Profile | null; onDone(p: Profile): void }) {
  const { t } = useTranslation();
  const [author, setAuthor] = useState(initial?.author ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [org, setOrg] = useState(initial?.org ?? '');
  const [color, setColor] = useState<string>(initial?.color ?? NOTE_COLORS[0]);
  const [tried, setTried] = useState(false);
  const nameError = tried && !author.trim() ? t('join.required') : null;
  const emailError = tried && !isValidEmail(email) ? (email.trim() ? t('join.invalidEmail') : t('join.required')) : null;

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        aria-labelledby="join-heading"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (!author.trim() || !isValidEmail(email)) return;
          onDone({ author: author.trim(), email: email.trim(), org: org.trim(), color });
        }}
      >
        <h1 id="join-heading">{t('join.heading')}</h1>
        <p>{t('join.intro')}</p>
        <label>
          {t('join.name')}
          <input
            name="name"
            autoComplete="name"
            value={author}
            maxLength={LIMITS.personField}
            onChange={(e) => setAuthor(e.target.value)}
            aria-invalid={!!nameError}
            aria-describedby={nameError ? 'name-error' : undefined}
            required
          />
        </label>
        {nameError && (
          <p id="name-error" className="field-error" role="alert">
            {nameError}
          </p>
        )}
        <label>
          {t('join.email')}
          <input
            name="email"
            type="email"
            autoComplete="email"
            value={email}
            maxLength={LIMITS.email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!emailError}
            aria-describedby={emailError ? 'email-error consent' : 'consent'}
            required
          />
        </label>
        {emailError && (
          <p id="email-error" className="field-error" role="alert">
            {emailError}
          </p>
        )}
        <label>
          {t('join.org')}
          <input name="org" autoComplete="organization" value={org} maxLength={LIMITS.personField} onChange={(e) => setOrg(e.target.value)} />
        </label>
        <fieldset className="colors">
          <legend>{t('join.color')}</legend>
          {NOTE_COLORS.map((c) => (
            <label key={c} className="swatch" style={{ background: c }}>
              <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)} aria-label={c} />
            </label>
          ))}
        </fieldset>
        <p id="consent" className="consent">
          {t('join.consent')}
        </p>
        <button type="submit" className="primary">
          {t('join.continue')}
        </button>
      </form>
    </div>
  );
}
