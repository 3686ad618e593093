import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { sessions } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { TextField } from '../../ui/field.js';
import { ErrorNotice } from '../../ui/notice.js';
import { AuthFrame } from './auth-frame.js';
import { useAuthSubmit } from './use-auth-submit.js';

const MIN_PASSWORD = 8;

export function SignUpPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useAuthSubmit(sessions.signUp);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ name, email, password });
  };
  return (
    <AuthFrame title="Create your account">
      <form onSubmit={onSubmit} className="space-y-4">
        <TextField
          label="Name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
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
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters.`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {submit.error && <ErrorNotice error={submit.error} />}
        <Button type="submit" busy={submit.isPending} className="w-full">
          Create account
        </Button>
      </form>
      <p className="mt-6 text-sm text-slate-700">
        Already have an account?{' '}
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
      </p>
    </AuthFrame>
  );
}
