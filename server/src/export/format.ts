/**
 * What the export formats share: the language of headings, dates in the reader's time zone,
 * download file names, and the wording of both languages (exports are generated on the server,
 * so these strings cannot come from the client's i18n files).
 */
import { TEMPLATES, type Domain, type TemplateId } from '@maillage/shared';

export type ExportLang = 'fr' | 'en';

export function parseLang(v: unknown, fallback: ExportLang = 'fr'): ExportLang {
  return v === 'en' || v === 'fr' ? v : fallback;
}

/** A valid IANA time zone name, or UTC. */
export function parseTimeZone(v: unknown): string {
  if (typeof v !== 'string' || !v || v.length > 64) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return v;
  } catch {
    return 'UTC';
  }
}

/**
 * One formatter per time zone. Building an `Intl.DateTimeFormat` costs about a millisecond, and
 * the CSV formats every note's date: built per row, a 5,000-note export held the event loop for
 * seconds, which any review link could repeat (docs/security.md, R210). Zones are few (each was
 * validated by parseTimeZone), but the cache is bounded all the same.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    if (formats.size >= 64) formats.clear();
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** `2025-11-23 15:04` in `timeZone`: a form every spreadsheet recognises as a date. */
export function formatDateTime(ms: number, timeZone: string, seconds = false): string {
  const parts = dateFormat(timeZone).formatToParts(new Date(ms));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}${seconds ? `:${p('second')}` : ''}`;
}

export function domainTitle(d: Domain | undefined, lang: ExportLang): string {
  return d ? d.title[lang] || d.title.fr || d.title.en : '';
}

export function templateTitle(t: TemplateId, lang: ExportLang): string {
  return TEMPLATES[t]?.title[lang] ?? '';
}

/** `Content-Disposition` for a download: an ASCII fallback name plus the exact UTF-8 one. */
export function attachment(title: string, ext: string, now = Date.now()): string {
  const day = new Date(now).toISOString().slice(0, 10);
  const printable = Array.from(title.trim(), (c) => (c < ' ' ? ' ' : c)).join('');
  const base = `${printable || 'maillage'}-${day}`.replace(/[\\/:*?"<>|]+/g, '-').slice(0, 100);
  const ascii = base
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return `attachment; filename="${ascii || 'maillage'}.${ext}"; filename*=UTF-8''${encodeURIComponent(base)}.${ext}`;
}

export const WORDS = {
  fr: {
    csv: {
      domain: 'Domaine',
      text: 'Activité',
      author: 'Nom',
      organization: 'Organisation',
      email: 'Courriel',
      cluster: 'Regroupement',
      votes: 'Votes',
      created: 'Créé le',
    },
    report: 'Rapport du mur',
    generated: 'Généré le',
    page: 'Page',
    of: 'sur',
    byDomain: 'Activités par domaine',
    byCluster: 'Regroupements et contacts',
    noClusters: 'Aucun regroupement n’a été accepté sur ce mur.',
    noNotes: 'Aucune activité.',
    noDomain: 'Sans domaine',
    contacts: 'Contacts',
    organizations: 'Organisations',
    connectors: 'Liens entre activités',
    noConnectors: 'Aucun lien n’a été tracé entre des activités.',
    ranking: 'Résultats du vote',
    nextSteps: 'Prochaines étapes pour le groupe',
    nextStepsIntro:
      'La stratégie qui mène au renforcement mutuel des activités. Les regroupements, les liens et la carte des relations de ce rapport sont le point de départ des étapes 2 et 3.',
    steps: [
      { title: 'Décrire votre programmation commune', body: 'Énoncer ensemble la vision du changement et les objectifs communs que les activités servent.' },
      { title: 'Déterminer quelles activités se renforcent mutuellement', body: 'Partir des regroupements acceptés et des liens tracés : qui fait quoi, où les activités se complètent, où elles se recoupent.' },
      { title: 'Insérer les activités au sein d’une stratégie plus vaste', body: 'Coordonner les initiatives déjà existantes plutôt que d’en créer de nouvelles ; s’entendre sur qui prend contact avec qui.' },
      { title: 'Confirmer les mesures communes et les cibles', body: 'Choisir ensemble les indicateurs et les cibles qui montreront l’impact attendu.' },
      { title: 'Au-delà des programmes, penser aux systèmes', body: 'Politiques, pratiques, financement et ressources, voix de la communauté, accès aux données : quels leviers les partenaires peuvent-ils actionner ensemble ?' },
    ],
    source: 'Source : « Stratégie menant au renforcement mutuel des activités », Tamarack Institute, série de webinaires sur l’impact collectif.',
    notes: (n: number) => (n <= 1 ? `${n} activité` : `${n} activités`),
    votes: (n: number) => (n <= 1 ? `${n} vote` : `${n} votes`),
    summary: (notes: number, domains: number, orgs: number) =>
      `${notes} activité${notes > 1 ? 's' : ''} · ${domains} domaine${domains > 1 ? 's' : ''} · ${orgs} organisation${orgs > 1 ? 's' : ''}`,
  },
  en: {
    csv: {
      domain: 'Domain',
      text: 'Activity',
      author: 'Name',
      organization: 'Organization',
      email: 'Email',
      cluster: 'Cluster',
      votes: 'Votes',
      created: 'Created',
    },
    report: 'Wall report',
    generated: 'Generated on',
    page: 'Page',
    of: 'of',
    byDomain: 'Activities by domain',
    byCluster: 'Clusters and contacts',
    noClusters: 'No cluster has been accepted on this wall.',
    noNotes: 'No activities.',
    noDomain: 'No domain',
    contacts: 'Contacts',
    organizations: 'Organizations',
    connectors: 'Connectors between activities',
    noConnectors: 'No connector was drawn between activities.',
    ranking: 'Vote results',
    nextSteps: 'Next steps for the group',
    nextStepsIntro:
      'The strategy that leads to mutually reinforcing activities. The groups, connectors and relationship map in this report are the starting point for steps 2 and 3.',
    steps: [
      { title: 'Describe your common agenda', body: 'State together the vision for change and the shared goals the activities serve.' },
      { title: 'Determine which activities reinforce each other', body: 'Start from the accepted groups and the connectors: who does what, where activities complement each other, where they overlap.' },
      { title: 'Fit the activities into a wider strategy', body: 'Coordinate existing initiatives rather than starting new ones; agree on who contacts whom.' },
      { title: 'Confirm shared measures and targets', body: 'Choose together the indicators and targets that will show the intended impact.' },
      { title: 'Beyond programmes, think about systems', body: 'Policies, practices, funding and resources, community voice, access to data: which levers can the partners pull together?' },
    ],
    source: 'Source: "Strategy leading to mutually reinforcing activities", Tamarack Institute, collective impact webinar series.',
    notes: (n: number) => (n === 1 ? '1 activity' : `${n} activities`),
    votes: (n: number) => (n === 1 ? '1 vote' : `${n} votes`),
    summary: (notes: number, domains: number, orgs: number) =>
      `${notes} ${notes === 1 ? 'activity' : 'activities'} · ${domains} domain${domains === 1 ? '' : 's'} · ${orgs} organization${orgs === 1 ? '' : 's'}`,
  },
} as const;
