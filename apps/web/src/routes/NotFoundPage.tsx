import { Link } from '../router.tsx';

export function NotFoundPage() {
  return (
    <section className="page" data-testid="not-found">
      <h1>Not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the start page</Link>.
      </p>
    </section>
  );
}
