// @vitest-environment happy-dom
// The settings page against a stand-in for the server's HTTP answers (the app's real client,
// queries and error handling run; only `fetch` is replaced): what is validated before sending,
// what is sent, and how the server's answers and refusals are shown.

import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { User } from '../../api/model.ts';
import type { DeliveryStatus } from './delivery-model.ts';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}
type Handler = (sent: Sent) => { status: number; body?: unknown };

// openapi-fetch keeps the `fetch` it finds when the client is created: install the stand-in first.
const server = vi.hoisted(() => {
  const state = { sent: [] as Sent[], handlers: new Map<string, Handler>() };
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const request = input as Request;
    const path = new URL(request.url).pathname;
    const text = await request.text();
    const sent = { method: request.method, path, body: text ? (JSON.parse(text) as unknown) : undefined };
    state.sent.push(sent);
    const handler = state.handlers.get(`${request.method} ${path}`);
    const answer = handler ? handler(sent) : { status: 404, body: { error: { code: 'not_found', message: 'Not found' } } };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return state;
});

const { createQueryClient, queryKeys, useMe } = await import('../../api/queries.ts');
const { SessionContext } = await import('../../session.tsx');
const { SettingsPage } = await import('../../routes/SettingsPage.tsx');

const ADA: User = {
  id: 'u1',
  email: 'ada@example.test',
  name: 'Ada Admin',
  handle: 'ada',
  timezone: 'Europe/Berlin',
  briefHour: 7,
  role: 'admin',
  workDays: [1, 2, 3, 4, 5],
  workStart: '09:00',
  workEnd: '17:00',
  awayUntil: null,
  delivery: { email: false, webhookUrl: null },
};

const STATUS: DeliveryStatus = {
  next: { at: '2030-01-01T08:00:00.000Z', timezone: 'Europe/Berlin', local: '2030-01-01T09:00', channels: ['app'] },
  notices: [],
  log: [],
  webhookSecret: null,
};

let user: User;
let status: DeliveryStatus;

function Signed() {
  const me = useMe();
  if (!me.data) return null;
  return (
    <SessionContext.Provider value={{ user: me.data, signedOut: () => {} }}>
      <SettingsPage />
    </SessionContext.Provider>
  );
}

function renderPage() {
  const queryClient = createQueryClient();
  queryClient.setQueryData(queryKeys.me, user);
  return render(
    <QueryClientProvider client={queryClient}>
      <Signed />
    </QueryClientProvider>,
  );
}

/** PATCH /api/me merges like the server (without its checks) and answers the user. */
function acceptPatches() {
  server.handlers.set('PATCH /api/me', ({ body }) => {
    const patch = body as Partial<User> & { delivery?: Partial<User['delivery']> };
    user = { ...user, ...patch, delivery: { ...user.delivery, ...patch.delivery } };
    return { status: 200, body: { user } };
  });
}

const patches = () => server.sent.filter((s) => s.method === 'PATCH' && s.path === '/api/me').map((s) => s.body);

beforeEach(() => {
  user = structuredClone(ADA);
  status = structuredClone(STATUS);
  server.sent.length = 0;
  server.handlers.clear();
  server.handlers.set('GET /api/me/delivery', () => ({ status: 200, body: status }));
  acceptPatches();
});

afterEach(cleanup);

describe('settings: working hours', () => {
  test('seven day toggles from Monday, the saved days on; a change is sent with the hours and kept', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-working-hours'));
    const boxes = section.getAllByRole('checkbox');
    expect(boxes.map((b) => b.getAttribute('data-testid'))).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `settings-workday-${d}`));
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([true, true, true, true, true, false, false]);
    expect(section.getByRole('checkbox', { name: 'Monday' })).toBe(boxes[0]);
    expect(section.getByTestId('settings-save')).toHaveProperty('disabled', true);

    fireEvent.click(section.getByRole('checkbox', { name: 'Friday' }));
    fireEvent.click(section.getByRole('checkbox', { name: 'Saturday' }));
    fireEvent.change(section.getByLabelText('Start'), { target: { value: '08:00' } });
    fireEvent.change(section.getByLabelText('End'), { target: { value: '16:30' } });
    fireEvent.click(section.getByTestId('settings-save'));

    await section.findByText('Saved.');
    expect(patches()).toEqual([
      { timezone: 'Europe/Berlin', briefHour: 7, workDays: [1, 2, 3, 4, 6], workStart: '08:00', workEnd: '16:30' },
    ]);
    expect(user.workDays).toEqual([1, 2, 3, 4, 6]);
    expect(section.getByTestId('settings-save')).toHaveProperty('disabled', true);
  });

  test('no day, or an end before the start, is refused before anything is sent', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-working-hours'));
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) fireEvent.click(section.getByRole('checkbox', { name: day }));
    fireEvent.change(section.getByLabelText('End'), { target: { value: '08:00' } });
    fireEvent.click(section.getByTestId('settings-save'));

    expect(section.getByTestId('settings-workdays-error').textContent).toBe('Choose at least one working day.');
    expect(section.getByTestId('settings-work-end-error').textContent).toBe('The working day must end after it starts.');
    expect(section.getByLabelText('End').getAttribute('aria-invalid')).toBe('true');
    expect(section.getAllByRole('alert')).toHaveLength(2);

    fireEvent.change(section.getByLabelText('Start'), { target: { value: '' } });
    fireEvent.click(section.getByTestId('settings-save'));
    expect(section.getByTestId('settings-work-start-error').textContent).toBe('Enter a start time, like 09:00.');
    await Promise.resolve();
    expect(patches()).toEqual([]);
  });

  test('the server\'s 400 is shown under the form and nothing claims it was saved', async () => {
    server.handlers.set('PATCH /api/me', () => ({
      status: 400,
      body: { error: { code: 'invalid_input', message: 'Invalid input', details: [{ path: ['workEnd'], message: 'workStart must be before workEnd' }] } },
    }));
    renderPage();
    const section = within(screen.getByTestId('settings-working-hours'));
    fireEvent.change(section.getByLabelText('Start'), { target: { value: '10:00' } });
    fireEvent.click(section.getByTestId('settings-save'));
    expect((await section.findByRole('alert')).textContent).toBe('Invalid input (check: workEnd)');
    expect(section.queryByTestId('settings-saved')).toBeNull();
  });
});

describe('settings: away', () => {
  test('a day back is sent as the start of that day in the person\'s zone; clearing sends null', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-away'));
    expect(section.queryByTestId('settings-away-clear')).toBeNull();
    fireEvent.change(section.getByLabelText("I'm away until"), { target: { value: '2099-12-24' } });
    fireEvent.click(section.getByTestId('settings-away-save'));
    await section.findByText('Saved: briefs pause until then.');
    expect(patches()).toEqual([{ awayUntil: '2099-12-23T23:00:00.000Z' }]);
    expect(section.getByTestId('settings-away-state').textContent).toMatch(/^You're away until .*(Dec 24|24 Dec)\. Briefs are paused\.$/);
    // The next-brief line in the delivery section says so too.
    expect(screen.getByTestId('next-brief').getAttribute('data-paused')).toBe('true');

    fireEvent.click(section.getByTestId('settings-away-clear'));
    await section.findByText("Cleared: you're back.");
    expect(patches()[1]).toEqual({ awayUntil: null });
    expect(section.queryByTestId('settings-away-state')).toBeNull();
  });

  test('a day that is not after today is refused before sending', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-away'));
    fireEvent.change(section.getByLabelText("I'm away until"), { target: { value: '2020-01-01' } });
    fireEvent.click(section.getByTestId('settings-away-save'));
    expect(section.getByRole('alert').textContent).toBe('Choose a day after today.');
    await Promise.resolve();
    expect(patches()).toEqual([]);
  });
});

describe('settings: delivery', () => {
  test('the app always; e-mail to the account address turns on at once', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-delivery'));
    expect(section.getByText(/In the app/)).toBeTruthy();
    const email = section.getByRole('checkbox', { name: 'E-mail to ada@example.test' }) as HTMLInputElement;
    expect(email.checked).toBe(false);
    fireEvent.click(email);
    await section.findByText('E-mail turned on.');
    expect(patches()).toEqual([{ delivery: { email: true } }]);
    expect(email.checked).toBe(true);
  });

  test('a webhook URL the server refuses: its message beside the field, the URL kept for fixing', async () => {
    const refusal = 'This webhook URL points to a private or loopback address (127.0.0.1); use a public HTTPS endpoint.';
    server.handlers.set('PATCH /api/me', () => ({
      status: 422,
      body: { error: { code: 'webhook_url_refused', message: refusal, details: { field: 'delivery.webhookUrl', reason: 'private' } } },
    }));
    renderPage();
    const section = within(screen.getByTestId('settings-delivery'));
    const input = section.getByLabelText('Chat webhook URL') as HTMLInputElement;
    expect(section.getByText(/Slack, Mattermost or Teams incoming webhook, or any HTTPS endpoint; requests are signed with X-Handoff-Signature/)).toBeTruthy();
    fireEvent.change(input, { target: { value: 'http://127.0.0.1:9/x' } });
    fireEvent.click(section.getByTestId('settings-webhook-save'));

    const error = await section.findByTestId('settings-webhook-error');
    expect(error.textContent).toBe(refusal);
    expect(error.getAttribute('role')).toBe('alert');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(error.id);
    expect(input.value).toBe('http://127.0.0.1:9/x');
    expect(patches()).toEqual([{ delivery: { webhookUrl: 'http://127.0.0.1:9/x' } }]);
    expect(section.queryByTestId('settings-webhook-saved')).toBeNull();

    // Typing again clears the refusal.
    fireEvent.change(input, { target: { value: 'https://hooks.example.com/x' } });
    expect(section.queryByTestId('settings-webhook-error')).toBeNull();
  });

  test('a URL that is not one is refused before sending', async () => {
    renderPage();
    const section = within(screen.getByTestId('settings-delivery'));
    fireEvent.change(section.getByLabelText('Chat webhook URL'), { target: { value: 'hooks dot example' } });
    fireEvent.click(section.getByTestId('settings-webhook-save'));
    expect(section.getByTestId('settings-webhook-error').textContent).toMatch(/^That is not a URL/);
    fireEvent.change(section.getByLabelText('Chat webhook URL'), { target: { value: 'ftp://hooks.example.com/x' } });
    fireEvent.click(section.getByTestId('settings-webhook-save'));
    expect(section.getByTestId('settings-webhook-error').textContent).toBe('The URL must start with https://');
    await Promise.resolve();
    expect(patches()).toEqual([]);
  });

  test('a saved webhook: its signing secret (hidden, rotatable after confirming), Turn off, and the log folded away', async () => {
    user.delivery = { email: true, webhookUrl: 'https://hooks.example.com/abc' };
    status.webhookSecret = 'whsec_old';
    status.next = { ...STATUS.next!, channels: ['app', 'email', 'webhook'] };
    status.log = [
      { id: 'd1', briefId: 'b1', channel: 'webhook', status: 'failed', attempts: 5, localDate: '2029-12-31', dueAt: '2029-12-31T08:00:00.000Z', sentAt: null, lastError: 'HTTP 500' },
      { id: 'd2', briefId: 'b1', channel: 'email', status: 'sent', attempts: 1, localDate: '2029-12-31', dueAt: '2029-12-31T08:00:00.000Z', sentAt: '2029-12-31T08:00:02.000Z', lastError: null },
    ];
    server.handlers.set('POST /api/me/delivery/webhook-secret', () => ({ status: 200, body: { webhookSecret: 'whsec_new' } }));
    renderPage();
    const section = within(screen.getByTestId('settings-delivery'));
    const secret = (await section.findByTestId('settings-webhook-secret-value')) as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('whsec_old');
    expect(section.getByTestId('next-brief-text').textContent).toContain('by e-mail and chat');

    fireEvent.click(section.getByTestId('settings-webhook-secret-rotate'));
    expect(server.sent.some((s) => s.path === '/api/me/delivery/webhook-secret')).toBe(false);
    fireEvent.click(section.getByTestId('settings-webhook-secret-confirm'));
    await waitFor(() => expect(secret.value).toBe('whsec_new'));

    const log = section.getByTestId('delivery-log') as HTMLDetailsElement;
    expect(log.open).toBe(false);
    const rows = section.getAllByTestId('delivery-log-entry');
    expect(rows.map((r) => r.textContent)).toEqual(['2029-12-31ChatFailed5HTTP 500', '2029-12-31E-mailSent1']);

    fireEvent.click(section.getByTestId('settings-webhook-off'));
    await section.findByText('Chat webhook turned off.');
    expect(patches()).toEqual([{ delivery: { webhookUrl: null } }]);
    expect((section.getByLabelText('Chat webhook URL') as HTMLInputElement).value).toBe('');
    expect(section.queryByTestId('settings-webhook-secret')).toBeNull();
  });

  test('a channel turned off after failures: a banner with its message; Dismiss tells the server and removes it', async () => {
    status.notices = [{ id: 'n1', channel: 'email', message: 'The mail server refused ada@example.test (550).', createdAt: '2029-12-31T08:10:00.000Z' }];
    server.handlers.set('POST /api/me/delivery/notices/n1/dismiss', () => {
      status.notices = [];
      return { status: 204 };
    });
    renderPage();
    const banner = await screen.findByTestId('delivery-notices-banner');
    expect(banner.textContent).toContain('E-mail delivery was turned off. The mail server refused ada@example.test (550).');
    fireEvent.click(within(banner).getByRole('button', { name: /Dismiss/ }));
    await waitFor(() => expect(screen.queryByTestId('delivery-notices-banner')).toBeNull());
    expect(server.sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual(['/api/me/delivery/notices/n1/dismiss']);
  });
});

describe('delivery notices in the app\'s frame', () => {
  test('one line with a link to the settings on other pages, none on the settings page (which has the banner)', async () => {
    const { DeliveryNotices } = await import('./DeliveryNotices.tsx');
    status.notices = [{ id: 'n2', channel: 'webhook', message: 'The webhook failed 5 times (HTTP 500).', createdAt: '2029-12-31T08:10:00.000Z' }];
    window.history.pushState(null, '', '/catch-up');
    const queryClient = createQueryClient();
    const view = render(
      <QueryClientProvider client={queryClient}>
        <DeliveryNotices />
      </QueryClientProvider>,
    );
    const notice = await screen.findByTestId('delivery-notices');
    expect(notice.textContent).toContain('Chat webhook delivery was turned off. The webhook failed 5 times (HTTP 500).');
    expect(within(notice).getByRole('link', { name: 'Delivery settings' }).getAttribute('href')).toBe('/settings');

    fireEvent.click(within(notice).getByRole('link', { name: 'Delivery settings' }));
    expect(window.location.pathname).toBe('/settings');
    await waitFor(() => expect(screen.queryByTestId('delivery-notices')).toBeNull());
    view.unmount();
  });
});
