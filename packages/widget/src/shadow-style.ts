/**
 * Adds a style sheet to the widget's shadow root. A constructed sheet is preferred: sites with a strict
 * Content-Security-Policy that forbids inline `<style>` still render the widget. Older browsers get a `<style>`.
 */
export function addStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}
