import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { sessions } from '../../api/endpoints.js';
import { ErrorNotice, Loading, Success } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';

/** The link from the verification mail: confirms the token once. */
export function VerifyEmailPage() {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const confirm = useQuery({
    queryKey: ['verify-email', token],
    queryFn: () => sessions.confirmEmail(token),
    staleTime: Infinity,
  });
  return (
    <AuthFrame title="Verify your email">
      {confirm.isPending ? (
        <Loading label="Checking the link…" />
      ) : confirm.error ? (
        <ErrorNotice error={confirm.error} title="This link does not work." />
      ) : (
        <Success>Your email address is verified.</Success>
      )}
      <p className="mt-6 text-sm">
        <Link href="/" className="font-medium text-indigo-700 underline">
          Open the dashboard
        </Link>
      </p>
    </AuthFrame>
  );
}
