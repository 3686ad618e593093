import { useState, type FormEvent } from 'react';
import { sessions } from '../../api/endpoints.js';
import { Button } from '../../ui/button.js';
import { TextField } from '../../ui/field.js';
import { ErrorNotice } from '../../ui/notice.js';
import { useAuthSubmit } from './use-auth-submit.js';

const MIN_PASSWORD = 8;

/** Name, email and password; with an invite token the new person joins that account. */
export function SignUpForm({
  inviteToken,
  email: invited,
}: {
  inviteToken?: string;
  email?: string;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState(invited ?? '');
  const [password, setPassword] = useState('');
  const submit = useAuthSubmit(sessions.signUp);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ name, email, password, ...(inviteToken ? { invite_token: inviteToken } : {}) });
  };
  return (
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
  );
}
