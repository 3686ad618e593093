import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { sessions } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { TextField } from '../../ui/field.js';
import { ErrorNotice } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';
import { useAuthSubmit } from './use-auth-submit.js';

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useAuthSubmit(sessions.signIn);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ email, password });
  };
  return (
    <AuthFrame title="Sign in">
      <form onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {submit.error && <ErrorNotice error={submit.error} />}
        <Button type="submit" busy={submit.isPending} className="w-full">
          Sign in
        </Button>
      </form>
      <p className="mt-4 text-sm">
        <Link href="/reset-password" className="text-indigo-700 underline">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-2 text-sm text-slate-700">
        New to Pixapi?{' '}
        <Link href="/sign-up" className="font-medium text-indigo-700 underline">
          Create an account
        </Link>
      </p>
    </AuthFrame>
  );
}
