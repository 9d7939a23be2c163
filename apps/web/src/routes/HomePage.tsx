import { Link, decisionLogPath } from '../router.tsx';
import { useSpaceSelection } from './Layout.tsx';

export function HomePage() {
  const { spaces, selectedSpaceId } = useSpaceSelection();
  const space = spaces?.find((s) => s.id === selectedSpaceId);
  return (
    <section className="page" data-testid="home">
      <h1>{space ? space.name : 'Handoff'}</h1>
      <p className="muted">
        {spaces && spaces.length === 0
          ? 'You are not in any space yet: create one in the sidebar.'
          : 'Pick a document in the sidebar to read it.'}
      </p>
      {space && (
        <p>
          <Link to={decisionLogPath(space.id)}>See what {space.name} has decided</Link>
        </p>
      )}
    </section>
  );
}
