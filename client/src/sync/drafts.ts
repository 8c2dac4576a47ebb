/**
 * Notes this device has typed but the wall does not hold (yet): text in an open editor, notes
 * submitted while the wall is locked, and notes the server reverted (docs/spec.md R63–R64).
 *
 * Kept in localStorage, one list per wall, written on every keystroke: a reload, a closed tab or
 * a crash loses nothing typed. localStorage rather than IndexedDB because it is synchronous —
 * the text is on disk before the next event, there is no "pending write" to lose on unload —
 * and drafts are few and small. IndexedDB already holds the notes that did reach the document.
 */
import { LIMITS, newNoteId } from '@maillage/shared';

/**
 * - `typing`: in an editor, or left there (a reload); posted only when the person says so.
 * - `queued`: submitted while the wall could not take it (locked, private writing unreachable);
 *   posted by itself as soon as the wall reopens.
 */
export type DraftState = 'typing' | 'queued';

/** Why a draft is not on the wall: translated next to it. */
export type DraftReason = 'locked' | 'refused' | 'failed';

export interface Draft {
  /** Also the id the note gets when posted, so posting twice cannot make two notes. */
  id: string;
  text: string;
  domainId: string;
  x?: number;
  y?: number;
  /** Set when the draft changes an existing note's text rather than adding a note. */
  editOf?: string;
  state: DraftState;
  reason?: DraftReason;
  updatedAt: number;
}

const PREFIX = 'maillage.drafts.';
/** A wall holds at most this many drafts per device: enough for any session, bounded for storage. */
const MAX_DRAFTS = 200;

export const newDraftId = (): string => newNoteId();

function isDraft(v: unknown): v is Draft {
  if (!v || typeof v !== 'object') return false;
  const d = v as Record<string, unknown>;
  return (
    typeof d.id === 'string' &&
    typeof d.text === 'string' &&
    typeof d.domainId === 'string' &&
    (d.state === 'typing' || d.state === 'queued') &&
    typeof d.updatedAt === 'number'
  );
}

/**
 * One wall's drafts on this device, observable for React (`useSyncExternalStore`). Other tabs of
 * the same wall see changes through the `storage` event.
 */
export class DraftStore {
  private drafts: Draft[];
  private readonly listeners = new Set<() => void>();
  /** Drafts shown in an open editor right now (not repeated in the drafts tray). */
  private readonly open = new Set<string>();
  private openSnapshot: ReadonlySet<string> = new Set();

  constructor(private readonly boardId: string) {
    this.drafts = this.load();
    window.addEventListener('storage', this.onStorage);
  }

  private get storageKey(): string {
    return PREFIX + this.boardId;
  }

  private load(): Draft[] {
    try {
      const raw = JSON.parse(localStorage.getItem(this.storageKey) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter(isDraft) : [];
    } catch {
      return [];
    }
  }

  private save(next: Draft[]): void {
    this.drafts = next.slice(-MAX_DRAFTS);
    try {
      if (this.drafts.length) localStorage.setItem(this.storageKey, JSON.stringify(this.drafts));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or disabled: the drafts still live in memory for this page.
    }
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private onStorage = (e: StorageEvent): void => {
    if (e.key !== this.storageKey) return;
    this.drafts = this.load();
    this.emit();
  };

  get(id: string): Draft | undefined {
    return this.drafts.find((d) => d.id === id);
  }

  /** Creates or replaces a draft (an empty text removes it: there is nothing to keep). */
  put(d: Omit<Draft, 'updatedAt'>): void {
    const text = d.text.slice(0, LIMITS.noteText);
    const rest = this.drafts.filter((x) => x.id !== d.id);
    if (!text.trim()) {
      if (rest.length !== this.drafts.length) this.save(rest);
      return;
    }
    this.save([...rest, { ...d, text, updatedAt: Date.now() }]);
  }

  /** Changes an existing draft; no-op when it is gone (posted or discarded meanwhile). */
  patch(id: string, patch: Partial<Omit<Draft, 'id' | 'updatedAt'>>): void {
    const cur = this.get(id);
    if (cur) this.put({ ...cur, ...patch });
  }

  remove(id: string): void {
    if (this.drafts.some((d) => d.id === id)) this.save(this.drafts.filter((d) => d.id !== id));
  }

  /** An editor shows this draft: the tray leaves it out until `detach`. */
  attach(id: string): void {
    this.open.add(id);
    this.openSnapshot = new Set(this.open);
    this.emit();
  }

  detach(id: string): void {
    if (!this.open.delete(id)) return;
    this.openSnapshot = new Set(this.open);
    this.emit();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Every draft, oldest first; the same array until something changes. */
  getSnapshot = (): readonly Draft[] => this.drafts;

  /** Ids currently shown in an editor; the same set until one opens or closes. */
  getOpen = (): ReadonlySet<string> => this.openSnapshot;

  destroy(): void {
    window.removeEventListener('storage', this.onStorage);
    this.listeners.clear();
  }
}
