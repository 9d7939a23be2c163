import { useId, useState } from 'react';
import { useRotateWebhookSecret } from '../../api/queries.ts';
import { describeError } from '../describe-error.ts';

/**
 * The key of the webhook's X-Handoff-Signature (HMAC-SHA256 over timestamp + body): hidden until
 * asked, copied in one click, rotated after a confirmation (receivers must learn the new one).
 */
export function WebhookSecret({ secret }: { secret: string }) {
  const rotate = useRotateWebhookSecret();
  const [shown, setShown] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setShown(true);
      setCopied('no');
    }
  }

  return (
    <div className="webhook-secret" data-testid="settings-webhook-secret">
      <label className="stacked" htmlFor={`${id}-secret`}>
        Signing secret
      </label>
      <div className="webhook-row">
        <input
          id={`${id}-secret`}
          type={shown ? 'text' : 'password'}
          readOnly
          value={secret}
          className="mono"
          onFocus={(e) => e.target.select()}
          data-testid="settings-webhook-secret-value"
        />
        <div className="row">
          <button type="button" className="small" onClick={() => setShown((v) => !v)} aria-pressed={shown}>
            {shown ? 'Hide' : 'Show'}
          </button>
          <button type="button" className="small" onClick={() => void copy()} data-testid="settings-webhook-secret-copy">
            Copy
          </button>
          {!confirming && (
            <button
              type="button"
              className="small"
              onClick={() => {
                setConfirming(true);
                rotate.reset();
              }}
              data-testid="settings-webhook-secret-rotate"
            >
              Rotate
            </button>
          )}
        </div>
      </div>
      {copied && (
        <p role="status" className="small-text muted">
          {copied === 'yes' ? 'Copied.' : 'Could not copy: select the secret and copy it yourself.'}
        </p>
      )}
      {confirming && (
        <div className="row small-text" role="group" aria-label="Rotate the signing secret">
          <span>Rotate? Signatures made with the old secret stop verifying at once.</span>
          <button
            type="button"
            className="small danger"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate(undefined, { onSuccess: () => setConfirming(false) })}
            data-testid="settings-webhook-secret-confirm"
          >
            {rotate.isPending ? 'Rotating…' : 'Rotate the secret'}
          </button>
          <button type="button" className="small" onClick={() => setConfirming(false)} disabled={rotate.isPending}>
            Cancel
          </button>
        </div>
      )}
      {rotate.isSuccess && !confirming && (
        <p role="status" className="small-text muted" data-testid="settings-webhook-secret-rotated">
          New secret in use: update your receiver.
        </p>
      )}
      {rotate.isError && (
        <p role="alert" className="error small-text">
          {describeError(rotate.error)}
        </p>
      )}
    </div>
  );
}
