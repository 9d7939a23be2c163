import type { DeliveryLogEntry } from './delivery-model.ts';

const CHANNELS: Record<DeliveryLogEntry['channel'], string> = { email: 'E-mail', webhook: 'Chat' };
const STATUSES: Record<DeliveryLogEntry['status'], string> = {
  pending: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
};

/** The latest deliveries (newest first), folded away until asked for. */
export function DeliveryLog({ entries }: { entries: DeliveryLogEntry[] }) {
  return (
    <details className="delivery-log" data-testid="delivery-log">
      <summary>
        Last deliveries <span className="muted">({entries.length})</span>
      </summary>
      {entries.length === 0 ? (
        <p className="muted small-text">Nothing delivered by e-mail or chat yet.</p>
      ) : (
        <div className="delivery-log-scroll">
          <table className="delivery-log-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="delivery-log-entry" data-status={entry.status}>
                  <td className="nowrap">{entry.localDate}</td>
                  <td>{CHANNELS[entry.channel]}</td>
                  <td>
                    <span className="delivery-status" data-status={entry.status}>
                      {STATUSES[entry.status]}
                    </span>
                  </td>
                  <td>{entry.attempts}</td>
                  <td className="delivery-log-error">{entry.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
