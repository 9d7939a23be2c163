import type { DocKind, Space } from '../../api/model.ts';
import { KINDS } from './search-format.tsx';

/** The palette's space select and kind chips. */
export function PaletteFilterBar({
  ids,
  spaceId,
  kind,
  spaces,
  onSpace,
  onKind,
}: {
  ids: string;
  spaceId: string;
  kind: DocKind | '';
  spaces: Space[];
  onSpace: (spaceId: string) => void;
  onKind: (kind: DocKind | '') => void;
}) {
  return (
    <div className="palette-filters" role="group" aria-label="Filters">
      <label className="visually-hidden" htmlFor={`${ids}-space`}>
        Space
      </label>
      <select
        id={`${ids}-space`}
        value={spaceId}
        onChange={(e) => onSpace(e.target.value)}
        data-testid="search-space-filter"
      >
        <option value="">All spaces</option>
        {spaces.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <div className="palette-chips" role="group" aria-label="Kind">
        {[{ value: '' as const, label: 'All' }, ...KINDS].map((k) => (
          <button
            key={k.value || 'all'}
            type="button"
            className="filter-chip"
            aria-pressed={kind === k.value}
            onClick={() => onKind(k.value)}
            data-testid={`search-kind-${k.value || 'all'}`}
          >
            {k.label}
          </button>
        ))}
      </div>
    </div>
  );
}
