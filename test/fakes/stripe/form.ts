/** A decoded form field tree: Stripe's `a[b][0][c]=v` nesting. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/**
 * Decodes an `application/x-www-form-urlencoded` body (or query string) the way Stripe's API
 * reads what its SDKs send: brackets nest objects, and numeric or empty brackets make arrays.
 */
export function decodeForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const head = /^[^[]*/.exec(name)?.[0] ?? name;
    const keys = [
      head,
      ...[...name.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let node: Record<string, FormValue> | FormValue[] = root;
    keys.forEach((key, i) => {
      const last = i === keys.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(keys[i + 1] ?? '');
      const container = node as Record<string, FormValue> & FormValue[];
      const slot = Array.isArray(node) && key === '' ? String(node.length) : key;
      if (last) {
        container[slot as never] = value;
        return;
      }
      container[slot as never] ??= (nextIsIndex ? [] : {}) as never;
      node = container[slot as never] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}
