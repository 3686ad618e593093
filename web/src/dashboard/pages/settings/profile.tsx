import { useMutation, useQuery } from '@tanstack/react-query';
import { sessions } from '../../api/endpoints.js';
import { useSession } from '../../shell/session.js';
import { Button } from '../../ui/button.js';
import { Card } from '../../ui/card.js';
import { Badge } from '../../ui/badge.js';
import { ErrorNotice, Success } from '../../ui/notice.js';

/** The signed-in person: their email, whether it is verified, and a new verification mail. */
export function Profile() {
  const { user } = useSession();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: sessions.config });
  const verify = useMutation({ mutationFn: sessions.requestVerification });
  return (
    <Card title="You">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
        {user.name ? `${user.name} · ` : ''}
        {user.email}
        <Badge
          status={user.email_verified ? 'active' : 'pending'}
          label={user.email_verified ? 'verified' : 'not verified'}
        />
      </p>
      {!user.email_verified && config.data?.email_delivery && (
        <div className="mt-3 space-y-2">
          {verify.error && <ErrorNotice error={verify.error} />}
          {verify.isSuccess ? (
            <Success>A verification link is on its way to {user.email}.</Success>
          ) : (
            <Button variant="secondary" busy={verify.isPending} onClick={() => verify.mutate()}>
              Send a verification link
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
