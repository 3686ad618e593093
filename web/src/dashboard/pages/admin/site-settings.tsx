import { useQuery } from '@tanstack/react-query';
import { admin } from '../../api/endpoints.js';
import { Card } from '../../ui/card.js';
import { ErrorNotice, Loading } from '../../ui/notice.js';

/** Read-only: the operator sets these with environment variables. */
export function SiteSettings() {
  const settings = useQuery({ queryKey: ['admin', 'settings'], queryFn: admin.settings });
  if (settings.isPending) return <Loading />;
  if (settings.error) return <ErrorNotice error={settings.error} />;
  const s = settings.data;
  const rows: [string, string, string][] = [
    ['Sign-up', s.signup, 'PIXAPI_SIGNUP'],
    ['Starter credits', String(s.signup_credits), 'PIXAPI_SIGNUP_CREDITS'],
    ['Email delivery', s.email_delivery ? 'on' : 'off (no SMTP_URL)', 'SMTP_URL'],
    ['Public URL', s.public_url, 'PIXAPI_PUBLIC_URL'],
  ];
  return (
    <Card title="Site settings">
      <p className="mb-3 text-sm text-slate-700">
        Set by environment variables when the server starts.
      </p>
      <dl className="grid grid-cols-[auto_1fr_auto] gap-x-6 gap-y-2 text-sm">
        {rows.map(([label, value, env]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-medium">{value}</dd>
            <dd>
              <code className="text-xs text-slate-600">{env}</code>
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
