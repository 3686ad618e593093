import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** Padding and responsive visibility of the header cell, matching its column's cells. */
  className: string;
}

/** A bordered table that scrolls sideways on narrow screens, with scoped column headers. */
export function DataTable({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={column.className}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}
