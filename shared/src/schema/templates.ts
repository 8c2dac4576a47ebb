/**
 * Wall templates. The relationship-mapping domains come verbatim from the webinar material
 * (shared/seed: "Cartographie des relations"); the others from the same deck's levers,
 * theory-of-change and systems-change slides.
 */
export interface LocalizedText {
  fr: string;
  en: string;
}

export interface DomainTemplate {
  /** Stable slug, used as the domain id so templates are recognisable in exports. */
  key: string;
  title: LocalizedText;
  color: string;
}

export interface BoardTemplate {
  id: TemplateId;
  title: LocalizedText;
  domains: DomainTemplate[];
}

export const TEMPLATE_IDS = [
  'relationship-mapping',
  'five-levers',
  'theory-of-change',
  'systems-change',
  'blank',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];
export const DEFAULT_TEMPLATE: TemplateId = 'relationship-mapping';

/** Column colours: light enough for dark text, distinct under common colour-blindness. */
export const DOMAIN_COLORS = [
  '#dbeafe', '#dcfce7', '#fef3c7', '#fce7f3', '#ede9fe', '#ffedd5', '#e5e7eb', '#ccfbf1',
] as const;

const d = (key: string, fr: string, en: string, i: number): DomainTemplate => ({
  key,
  title: { fr, en },
  color: DOMAIN_COLORS[i % DOMAIN_COLORS.length] as string,
});

export const TEMPLATES: Record<TemplateId, BoardTemplate> = {
  'relationship-mapping': {
    id: 'relationship-mapping',
    title: { fr: 'Cartographie des relations', en: 'Relationship mapping' },
    domains: [
      d('engage-youth', 'Mobiliser et impliquer les jeunes sous-représentés', 'Engage under-represented youth', 0),
      d('graduate-high-school', "Obtenir un diplôme d'études secondaires", 'Graduate from high school', 1),
      d('hs-to-postsecondary', 'Passer des études secondaires aux études postsecondaires', 'High school to post-secondary', 2),
      d('hs-to-training', 'Passer des études secondaires à un programme de formation', 'High school to a training program', 3),
      d('hs-to-employment', 'Passer des études secondaires à un emploi', 'High school to employment', 4),
      d('mentoring', 'Mentorat', 'Mentoring', 5),
      d('other', 'Autre?', 'Other?', 6),
    ],
  },
  'five-levers': {
    id: 'five-levers',
    title: { fr: 'Leviers potentiels', en: 'Potential levers' },
    domains: [
      d('policies', 'Politiques', 'Policies', 0),
      d('practices', 'Pratiques', 'Practices', 1),
      d('funding', 'Financement et ressources', 'Funding and resources', 2),
      d('community-voice', "Conscience et capacité d'expression de la communauté", 'Community awareness and voice', 3),
      d('data', 'Accès aux données et utilisation des données', 'Access to and use of data', 4),
    ],
  },
  'theory-of-change': {
    id: 'theory-of-change',
    title: { fr: 'Théorie du changement', en: 'Theory of change' },
    domains: [
      d('impact', 'Impact attendu', 'Expected impact', 0),
      d('for-whom', 'Pour qui?', 'For whom?', 1),
      d('when', 'Quand?', 'When?', 2),
      d('how', 'Comment?', 'How?', 3),
    ],
  },
  'systems-change': {
    id: 'systems-change',
    title: { fr: 'Stratégies de changement systémique', en: 'Systems-change strategies' },
    domains: [
      d('policy-change', 'Changement politique', 'Policy change', 0),
      d('service-improvement', 'Amélioration des services', 'Service improvement', 1),
      d('prototyping', 'Apprentissage par prototypage', 'Learning by prototyping', 2),
      d('coordination', 'Augmentation de la coordination', 'Increased coordination', 3),
    ],
  },
  blank: {
    id: 'blank',
    title: { fr: 'Mur vierge', en: 'Blank wall' },
    domains: [],
  },
};

export function isTemplateId(v: unknown): v is TemplateId {
  return typeof v === 'string' && (TEMPLATE_IDS as readonly string[]).includes(v);
}
