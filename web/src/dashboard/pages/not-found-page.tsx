import { Link } from 'wouter';
import { EmptyState } from '../ui/notice.js';

export function NotFoundPage() {
  return (
    <EmptyState title="This dashboard page does not exist.">
      <Link href="/" className="font-medium text-indigo-700 underline">
        Go to the overview
      </Link>
    </EmptyState>
  );
}
