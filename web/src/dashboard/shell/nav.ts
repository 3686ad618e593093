/** The dashboard's sections, in the order of the side navigation. */
export interface NavItem {
  label: string;
  href: string;
  /** A page outside the dashboard (the public catalog), opened as a normal link. */
  external?: boolean;
  adminOnly?: boolean;
}

export const NAV: NavItem[] = [
  { label: 'Overview', href: '/' },
  { label: 'API keys', href: '/keys' },
  { label: 'Usage', href: '/usage' },
  { label: 'Tasks', href: '/tasks' },
  { label: 'Playground', href: '/playground' },
  { label: 'Add credits', href: '/credits' },
  { label: 'Billing', href: '/billing' },
  { label: 'Models', href: '/models', external: true },
  { label: 'Settings', href: '/settings' },
  { label: 'Admin', href: '/admin', adminOnly: true },
];
