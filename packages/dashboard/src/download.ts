/** Offers a JSON document as a file download, without navigating away (the data never touches the URL). */
export function downloadJson(data: unknown, filename: string): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `parley-<what>-2025-03-04.json` */
export function exportFilename(what: string, now: Date = new Date()): string {
  const safe = what.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60);
  return `parley-${safe}-${now.toISOString().slice(0, 10)}.json`;
}
