import type { Architecture, CatalogVersion } from '@shared/contract';
import { archRefusal, dateText, sizeText } from './format';
import { LaunchControls } from './LaunchControls';

/** An architecture list with this host's marked, and a tag without it marked as such. */
function Architectures({ list, host }: { list: readonly Architecture[]; host: Architecture | undefined }) {
  if (list.length === 0) return <span className="muted">not known yet</span>;
  return (
    <>
      {list.map((a) => (
        <span key={a} className={a === host ? 'arch arch-host' : 'arch'} title={a === host ? 'this host' : undefined}>
          {a}
        </span>
      ))}
    </>
  );
}

/** Every known tag: size, date, architectures (this host's highlighted), whether the engine has it, and Launch for it. */
export function TagsTable(props: {
  repository: string;
  pullName: string;
  versions: CatalogVersion[];
  host: Architecture | undefined;
  pulled: ReadonlySet<string>;
  selected: string | undefined;
  onSelect: (tag: string) => void;
}) {
  const { repository, pullName, versions, host, pulled, selected, onSelect } = props;
  if (versions.length === 0) return <p className="empty">No tags known yet.</p>;
  return (
    <table className="table" data-testid="tags-table">
      <thead>
        <tr>
          <th>Tag</th>
          <th>Size</th>
          <th>Date</th>
          <th>Architectures</th>
          <th>On this engine</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => {
          const refusal = archRefusal(v.architectures, host);
          return (
            <tr key={v.tag} data-testid="tag-row" data-tag={v.tag} className={[v.tag === selected ? 'selected' : '', refusal ? 'foreign' : ''].join(' ').trim() || undefined}>
              <td>
                <button type="button" className="link mono" onClick={() => onSelect(v.tag)} title="Show the docker run line for this tag">
                  {v.tag}
                </button>
              </td>
              <td>{sizeText(v.compressedSize, v.sizeEstimated)}</td>
              <td>{dateText(v.updatedAt, v.updatedAtEstimated)}</td>
              <td>
                <Architectures list={v.architectures} host={host} />
              </td>
              <td data-testid="tag-pulled">{pulled.has(v.tag) ? 'pulled' : '—'}</td>
              <td>
                <LaunchControls repository={repository} pullName={pullName} tag={v.tag} disabledReason={refusal} customise={false} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
