/** Copies text; when the Clipboard API is unavailable (plain HTTP), selects it in `input` for Ctrl+C instead. */
export async function copyText(text: string, input?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input?.focus();
    input?.select();
    return false;
  }
}
