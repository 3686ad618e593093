import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { setCsrfToken } from '../../api/client.js';
import { members } from '../../api/endpoints.js';
import { SESSION_KEY, useSessionQuery } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { ErrorNotice, Loading } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';
import { SignUpForm } from './sign-up-form.js';

const tokenOf = () => new URLSearchParams(window.location.search).get('token') ?? '';

/** An invite link: signed-in people accept it; new people sign up into the account. */
export function InvitePage() {
  const token = tokenOf();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const preview = useQuery({ queryKey: ['invite', token], queryFn: () => members.preview(token) });
  const session = useSessionQuery();
  const accept = useMutation({
    mutationFn: () => members.accept(token),
    onSuccess: (joined) => {
      client.clear();
      setCsrfToken(joined.csrf_token);
      client.setQueryData(SESSION_KEY, joined);
      navigate('/');
    },
  });
  if (preview.isPending || session.isPending) return <Loading />;
  if (preview.error) {
    return (
      <AuthFrame title="Invite">
        <ErrorNotice error={preview.error} title="This invite link does not work." />
      </AuthFrame>
    );
  }
  const invite = preview.data;
  const back = `/invite?token=${encodeURIComponent(token)}`;
  return (
    <AuthFrame title={`Join ${invite.account_name}`}>
      <p className="mb-4 text-sm text-slate-700">
        You are invited as <strong>{invite.role}</strong> ({invite.email}).
      </p>
      {session.data ? (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">Signed in as {session.data.user.email}.</p>
          {accept.error && <ErrorNotice error={accept.error} />}
          <Button className="w-full" busy={accept.isPending} onClick={() => accept.mutate()}>
            Accept invite
          </Button>
        </div>
      ) : (
        <>
          <SignUpForm inviteToken={token} email={invite.email} />
          <p className="mt-6 text-sm text-slate-700">
            Already have an account?{' '}
            <Link
              href={`/sign-in?next=${encodeURIComponent(back)}`}
              className="font-medium text-indigo-700 underline"
            >
              Sign in to accept
            </Link>
          </p>
        </>
      )}
    </AuthFrame>
  );
}
