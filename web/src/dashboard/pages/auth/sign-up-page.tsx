import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { sessions } from '../../api/endpoints.js';
import { ErrorNotice, Loading } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';
import { SignUpForm } from './sign-up-form.js';

export function SignUpPage() {
  const config = useQuery({ queryKey: ['auth-config'], queryFn: sessions.config });
  return (
    <AuthFrame title="Create your account">
      {config.isPending ? (
        <Loading />
      ) : config.error ? (
        <ErrorNotice error={config.error} />
      ) : config.data.signup === 'open' ? (
        <SignUpForm />
      ) : (
        <p className="text-sm text-slate-700">
          {config.data.signup === 'invite'
            ? 'Sign-up on this server is by invitation: open the link an account owner sent you.'
            : 'Sign-up is closed on this server. Ask its operator for an account.'}
        </p>
      )}
      <p className="mt-6 text-sm text-slate-700">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
      </p>
    </AuthFrame>
  );
}
