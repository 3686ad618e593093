import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { sessions } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { TextField } from '../../ui/field.js';
import { ErrorNotice, Success } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';

/** Without a token: asks for a reset mail. With the mailed token: sets the new password. */
export function ResetPasswordPage() {
  const token = new URLSearchParams(window.location.search).get('token');
  const [value, setValue] = useState('');
  const submit = useMutation({
    mutationFn: () => (token ? sessions.confirmReset(token, value) : sessions.requestReset(value)),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  return (
    <AuthFrame title={token ? 'Choose a new password' : 'Reset your password'}>
      {submit.isSuccess ? (
        <Success>
          {token
            ? 'Your password is changed. Sign in with it.'
            : 'If an account has this email, a reset link is on its way.'}
        </Success>
      ) : (
        <form onSubmit={onSubmit} className="space-y-4">
          {token ? (
            <TextField
              label="New password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          ) : (
            <TextField
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
          {submit.error && <ErrorNotice error={submit.error} />}
          <Button type="submit" busy={submit.isPending} className="w-full">
            {token ? 'Set password' : 'Send reset link'}
          </Button>
        </form>
      )}
      <p className="mt-6 text-sm">
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Back to sign in
        </Link>
      </p>
    </AuthFrame>
  );
}
