/**
 * The export menu of the toolbar: spreadsheet (CSV), backup (JSON), report (PDF) from the server,
 * an image of the wall (PNG) drawn here from the canvas, the relationship map as an image (PNG,
 * with title, date and legend) and as network files for Gephi (GraphML) and Kumu (JSON), and —
 * the "who should talk to whom" contacts sheet (CSV), and — for hosts — the import of a JSON
 * backup into a new wall. Shown to hosts and to every review link (R73): the server blanks the
 * emails in a review link's exports unless the host and each person allowed them (R85). The
 * contacts sheet is written here from the server's `contacts:list` for this viewer, the one
 * source of emails on screen (R233): a viewer it sends none to gets the sheet without emails,
 * and is told so before downloading.
 *
 * Downloads are fetched with the key in the Authorization header (never in a URL that could end
 * up in a history or a log) and saved from a blob.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/index.ts';
import type { ContactListAccess, Network, WallExport } from '@maillage/shared';
import { downloadBlob, type WallExporter } from '../wall/exportPng.ts';
import { callApi } from './SnapshotsPanel.tsx';
import { apiErrorOf, describeError } from '../i18n/errors.ts';
import { contactsCsv, download as saveText, type ContactRow } from './contactsCsv.ts';

export interface ExportMenuProps {
  boardId: string;
  accessKey: string;
  lang: Language;
  title: string;
  /** Hosts may also import a backup into a new wall. */
  canImport: boolean;
  /** The canvas's exporter, when the canvas is shown. */
  getExporter(): WallExporter | null;
  /** Switches to the canvas (the PNG is drawn from it). */
  showCanvas(): void;
  onMessage(m: string): void;
  /**
   * The contacts sheet's rows, emails as the server sent them to this viewer (`contacts:list`,
   * R85) — never decided here. Absent: no contacts item.
   */
  contactRows?: ContactRow[];
  /** How far this viewer may see emails (`contacts:list`'s second argument, R253): says why a sheet has none. */
  contactAccess?: ContactListAccess['emails'] | null;
}

/** Why the contacts sheet carries no email, as the server's access for this viewer says (R253). */
const NO_EMAILS_NOTE = { all: 'exports.contactsNoEmailsGiven', 'if-shared': 'exports.contactsNoEmailsShared', none: 'exports.contactsNoEmailsHosts' } as const;

type Kind = 'csv' | 'json' | 'pdf' | 'png' | 'map' | 'graphml' | 'kumu.json';

/** The file name the server suggests (RFC 6266 `filename*` first), or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

function slug(title: string): string {
  return (title.trim() || 'maillage').replace(/[\\/:*?"<>|]+/g, '-').slice(0, 80);
}

export function ExportMenu(p: ExportMenuProps) {
  const { t } = useTranslation();
  const menu = useRef<HTMLDetailsElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<Kind | 'import' | null>(null);
  const [imported, setImported] = useState<string | null>(null);

  const waitForExporter = async (): Promise<WallExporter> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const e = p.getExporter();
      if (e) return e;
      if (Date.now() > deadline) throw new Error('the wall is not shown');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const download = async (kind: Kind) => {
    setBusy(kind);
    try {
      if (kind === 'png') {
        p.showCanvas();
        const date = new Intl.DateTimeFormat(p.lang === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeStyle: 'short' }).format(new Date());
        const blob = await (await waitForExporter()).png({
          caption: {
            title: p.title,
            date,
            legend: [
              { label: t('map.kindConnector'), color: '#1f3a5f', shape: 'line' },
              { label: t('map.kindGroup'), color: '#e11d48', shape: 'halo' },
            ],
          },
        });
        downloadBlob(blob, `${slug(p.title)}.png`);
      } else if (kind === 'map') {
        // The same network and wall the server's files are made from (emails as it allows).
        const [network, wall, { mapPng }] = await Promise.all([
          callApi<Network>(`/api/boards/${p.boardId}/network`, p.accessKey),
          callApi<WallExport>(`/api/boards/${p.boardId}/export.json`, p.accessKey),
          import('../map/mapPng.ts'),
        ]);
        const date = new Intl.DateTimeFormat(p.lang === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeStyle: 'short' }).format(new Date());
        const blob = await mapPng(network, wall.notes, wall.domains, {
          title: `${t('map.title')} — ${p.title}`,
          date,
          group: t('map.kindGroup'),
          connector: t('map.kindConnector'),
          similar: t('map.kindSimilar'),
          domainTitle: (d) => d.title[p.lang] || d.title.fr,
        });
        downloadBlob(blob, `${slug(p.title)}-${t('map.title')}.png`);
      } else {
        const params = new URLSearchParams({ lang: p.lang, tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' });
        // French-language spreadsheets use ';' between columns (',' is their decimal mark).
        if (kind === 'csv' && p.lang === 'fr') params.set('sep', 'semicolon');
        const res = await fetch(`/api/boards/${p.boardId}/export.${kind}?${params}`, { headers: { authorization: `Bearer ${p.accessKey}` } });
        if (!res.ok) throw await apiErrorOf(res);
        downloadBlob(await res.blob(), fileNameOf(res.headers.get('content-disposition'), `${slug(p.title)}.${kind}`));
      }
      if (menu.current) menu.current.open = false;
    } catch (err) {
      p.onMessage(t('exports.failed', { message: describeError(t, err) }));
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (f: File) => {
    setBusy('import');
    try {
      let body: unknown;
      try {
        body = JSON.parse(await f.text());
      } catch {
        throw new Error('not a JSON file');
      }
      const created = await callApi<{ links: { host: string } }>('/api/boards/import', p.accessKey, { method: 'POST', body });
      setImported(created.links.host);
      p.onMessage(t('exports.imported'));
    } catch (err) {
      p.onMessage(t('exports.importFailed', { message: describeError(t, err) }));
    } finally {
      setBusy(null);
      if (file.current) file.current.value = '';
    }
  };

  const item = (kind: Kind, label: string) => (
    <button type="button" role="menuitem" disabled={busy !== null} onClick={() => void download(kind)} data-export={kind}>
      {busy === kind ? t('exports.working') : label}
    </button>
  );

  const rows = p.contactRows;
  const withEmails = !!rows?.some((r) => r.email);
  const saveContacts = () => {
    if (!rows) return;
    const header = [t('clusters.colGroup'), t('clusters.colKind'), t('clusters.colOrg'), t('clusters.colName'), t('clusters.colEmail'), t('clusters.colActivity')];
    saveText(`${slug(p.title)}-contacts.csv`, contactsCsv(rows, header, p.lang));
    if (menu.current) menu.current.open = false;
  };

  return (
    <details className="export-menu" ref={menu}>
      <summary className="button">{t('exports.title')}</summary>
      <div className="export-items" role="menu" aria-label={t('exports.title')}>
        {item('csv', t('exports.csv'))}
        {item('json', t('exports.json'))}
        {item('pdf', t('exports.pdf'))}
        {item('png', t('exports.png'))}
        {item('map', t('map.png'))}
        {item('graphml', t('map.graphml'))}
        {item('kumu.json', t('map.kumu'))}
        {rows && (
          <>
            <button type="button" role="menuitem" disabled={busy !== null} onClick={saveContacts} data-export="contacts" aria-describedby={withEmails ? undefined : 'export-contacts-note'}>
              {withEmails ? t('exports.contactsCsv') : t('exports.contactsCsvNoEmails')}
            </button>
            {!withEmails && (
              <p className="muted small export-note" id="export-contacts-note" data-testid="export-contacts-note">
                {t(p.contactAccess ? NO_EMAILS_NOTE[p.contactAccess] : 'exports.contactsNoEmails')}
              </p>
            )}
          </>
        )}
        {p.canImport && (
          <label className="button import-label">
            {busy === 'import' ? t('exports.working') : t('exports.import')}
            <input
              ref={file}
              type="file"
              accept="application/json,.json"
              className="sr-only"
              disabled={busy !== null}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void importFile(f);
              }}
            />
          </label>
        )}
        {imported && (
          <a className="button" href={imported} target="_blank" rel="noopener noreferrer">
            {t('exports.openImported')}
          </a>
        )}
      </div>
    </details>
  );
}
