import { Link, useLocation } from 'wouter';
import { NAV } from './nav.js';
import { useSession } from './session.js';

const ITEM =
  'block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-600';

export function SideNav() {
  const [location] = useLocation();
  const { user } = useSession();
  const items = NAV.filter((item) => !item.adminOnly || user.site_admin);
  const current = (href: string) =>
    href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
  return (
    <nav
      aria-label="Dashboard"
      className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-r md:border-b-0 md:bg-transparent"
    >
      <ul className="flex gap-1 overflow-x-auto p-2 md:flex-col md:p-4">
        {items.map((item) => (
          <li key={item.href}>
            {item.external ? (
              <a href={item.href} className={`${ITEM} text-slate-700 hover:bg-slate-100`}>
                {item.label}
              </a>
            ) : (
              <Link
                href={item.href}
                aria-current={current(item.href) ? 'page' : undefined}
                className={`${ITEM} ${
                  current(item.href)
                    ? 'bg-indigo-50 text-indigo-800'
                    : 'text-slate-700 hover:bg-slate-100'
                }`}
              >
                {item.label}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
