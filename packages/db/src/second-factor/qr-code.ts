import encodeQR from 'qr';

/**
 * SEC-1: the QR code of an enrolment, as rows of dark (true) and light modules, made here and drawn by the page as
 * inline SVG: the secret never goes to a third-party service. `qr` (paulmillr/qr, no dependencies, encodes locally)
 * does the Reed-Solomon work.
 */
export const qrMatrix = (text: string): boolean[][] => encodeQR(text, 'raw', { ecc: 'medium' });
