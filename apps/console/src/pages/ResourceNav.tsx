import { useResources } from '../derived';
import { Link } from '../router';

/** Navigation to the derived pages of extension modules, if the server has any. */
export default function ResourceNav({ current }: { current: string }) {
  const { data } = useResources();
  if (!data?.length) return null;
  return (
    <>
      <h2 className="nav-heading">Modules</h2>
      <ul>
        {data.map((resource) => (
          <li key={resource.tag}>
            <Link to={`/resource/${resource.tag}`} aria-current={current.startsWith(`/resource/${resource.tag}`) ? 'page' : undefined}>
              {resource.title}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
