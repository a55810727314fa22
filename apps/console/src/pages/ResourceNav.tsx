import { type DerivedResource, useResources } from '../derived';
import { Link } from '../router';

/**
 * Navigation to the derived pages of extension modules, if the server has any: each tag once, at its
 * outermost collection, with its other collections (a network's subnets) beneath it.
 */
export default function ResourceNav({ current }: { current: string }) {
  const { data } = useResources();
  if (!data?.length) return null;
  const byTag = new Map<string, DerivedResource[]>();
  for (const resource of data) byTag.set(resource.tag, [...(byTag.get(resource.tag) ?? []), resource]);
  const link = (resource: DerivedResource, text: string) => {
    const to = `/resource/${resource.key}`;
    return (
      <Link to={to} aria-current={current === to || current.startsWith(`${to}/`) ? 'page' : undefined}>
        {text}
      </Link>
    );
  };
  return (
    <>
      <h2 className="nav-heading">Modules</h2>
      <ul>
        {[...byTag.entries()].map(([tag, [outermost, ...others]]) => (
          <li key={tag}>
            {link(outermost, tag.replaceAll('_', ' '))}
            {others.length > 0 && (
              <ul className="nav-sub">
                {others.map((resource) => (
                  <li key={resource.key}>{link(resource, resource.title)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
