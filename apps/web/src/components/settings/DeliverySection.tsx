import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../api/model.ts';
import { useDelivery, useUpdateMe } from '../../api/queries.ts';
import { NextBriefLine } from '../brief/NextBriefLine.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { SaveStatus } from './SaveStatus.tsx';
import { useSaveState } from './use-save-state.ts';
import { WebhookSecret } from './WebhookSecret.tsx';
import { webhookUrlProblem } from './working-hours.ts';

/** Where the brief goes: the app (always), e-mail (a toggle), a chat webhook; and what was delivered. */
export function DeliverySection({ user }: { user: User }) {
  const id = useId();
  const delivery = useDelivery();
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} data-testid="settings-delivery">
      <h2 id={`${id}-title`}>Delivery</h2>
      <NextBriefLine showSettingsLink={false} />
      <div className="settings-form">
        <p className="delivery-channel">
          <span className="delivery-check" aria-hidden="true">
            ✓
          </span>{' '}
          In the app <span className="muted">(always)</span>
        </p>
        <EmailToggle user={user} />
        <WebhookForm user={user} />
        {user.delivery.webhookUrl && delivery.data?.webhookSecret && <WebhookSecret secret={delivery.data.webhookSecret} />}
      </div>
      {delivery.isError && (
        <p role="alert" className="error small-text" data-testid="delivery-load-error">
          The delivery status could not be loaded.{' '}
          <button type="button" className="link-button" onClick={() => void delivery.refetch()}>
            Try again
          </button>
        </p>
      )}
      {delivery.data && <DeliveryLog entries={delivery.data.log} />}
    </section>
  );
}

/** E-mail to the account's address: on or off at once. */
function EmailToggle({ user }: { user: User }) {
  const updateMe = useUpdateMe();
  const save = useSaveState();
  const on = user.delivery.email;

  async function toggle(next: boolean) {
    await save.run(
      () => updateMe.mutateAsync({ delivery: { email: next } }),
      next ? 'E-mail turned on.' : 'E-mail turned off.',
    );
  }

  return (
    <div className="delivery-channel">
      <label className="checkbox delivery-toggle">
        <input
          type="checkbox"
          checked={on}
          disabled={save.pending}
          onChange={(e) => void toggle(e.target.checked)}
          data-testid="settings-email"
        />
        <span>
          E-mail to <strong>{user.email}</strong>
        </span>
      </label>
      <SaveStatus result={save.result} testId="settings-email-saved" />
      <SaveStatus result={save.result} errorOnly testId="settings-email-error" />
    </div>
  );
}

/** The chat webhook: a URL to save or turn off; the server's refusal is shown beside the field. */
function WebhookForm({ user }: { user: User }) {
  const updateMe = useUpdateMe();
  const save = useSaveState();
  const current = user.delivery.webhookUrl ?? '';
  const [url, setUrl] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  // The field's own error: a local check, or the server's refusal of this URL.
  const refusal = save.result && !save.result.ok && save.result.code === 'webhook_url_refused' ? save.result.serverMessage : null;
  const fieldError = problem ?? refusal;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = webhookUrlProblem(url);
    setProblem(found);
    if (found) return;
    await save.run(() => updateMe.mutateAsync({ delivery: { webhookUrl: url.trim() } }), 'Chat webhook saved.');
  }

  async function turnOff() {
    setProblem(null);
    const ok = await save.run(() => updateMe.mutateAsync({ delivery: { webhookUrl: null } }), 'Chat webhook turned off.');
    if (ok) setUrl('');
  }

  return (
    <form className="webhook-form" onSubmit={(e) => void submit(e)} noValidate data-testid="settings-webhook">
      <label className="stacked" htmlFor={`${id}-url`}>
        Chat webhook URL
      </label>
      <div className="webhook-row">
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://hooks.slack.com/services/…"
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            setProblem(null);
            save.clear();
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={`${id}-note${fieldError ? ` ${id}-error` : ''}`}
          data-testid="settings-webhook-url"
        />
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={save.pending || !url.trim() || url.trim() === current}
            data-testid="settings-webhook-save"
          >
            {save.pending ? 'Saving…' : 'Save'}
          </button>
          {current && (
            <button type="button" onClick={() => void turnOff()} disabled={save.pending} data-testid="settings-webhook-off">
              Turn off
            </button>
          )}
        </div>
      </div>
      {fieldError && (
        <p id={`${id}-error`} role="alert" className="error small-text" data-testid="settings-webhook-error">
          {fieldError}
        </p>
      )}
      {!refusal && <SaveStatus result={save.result} errorOnly />}
      <SaveStatus result={save.result} testId="settings-webhook-saved" />
      <small id={`${id}-note`} className="muted settings-hint">
        Slack, Mattermost or Teams incoming webhook, or any HTTPS endpoint; requests are signed with X-Handoff-Signature.
      </small>
    </form>
  );
}
