import encodeQR from 'qr';

/**
 * SEC-1: the QR code of an enrolment, made here and drawn by the page as inline SVG: the secret never goes to a
 * third-party service. `qr` (paulmillr/qr, no dependencies, encodes locally) does the Reed-Solomon work.
 */
export interface QrDrawing {
  /** Modules per side, with the four-module quiet zone readers need. */
  size: number;
  /** An SVG path of the dark modules, one unit each: the page sets it as a `d` attribute, never as markup. */
  path: string;
}

const QUIET_ZONE = 4;

export function qrDrawing(text: string): QrDrawing {
  // The library draws the quiet zone as light modules around the symbol.
  const matrix = encodeQR(text, 'raw', { ecc: 'medium', border: QUIET_ZONE });
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    });
  });
  return { size: matrix.length, path: parts.join('') };
}
