import type { ReactNode } from 'react';

/** JSON that is safe inside a <script> element: no `</script>` or `<!--` can appear. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A server-rendered part of the page that the browser bundle hydrates with the same props
 * (web/src/client.tsx finds it by id); the rest of the page stays static HTML.
 */
export function Island({
  id,
  props,
  children,
}: {
  id: string;
  props: unknown;
  children: ReactNode;
}) {
  return (
    <>
      <div id={id}>{children}</div>
      <script
        type="application/json"
        id={`${id}-props`}
        dangerouslySetInnerHTML={{ __html: scriptJson(props) }}
      />
    </>
  );
}
