/** A field as RFC 4180 quotes it, never read as a formula by a spreadsheet. */
function field(value: string): string {
  // A leading = + - @ (or tab/CR) makes spreadsheets evaluate a cell; a quote mark disarms it.
  const safe = /^[=+@\t\r]/.test(value) || /^-[^\d]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV document with a header line, CRLF line ends as RFC 4180 writes them. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
