const SVG = 'http://www.w3.org/2000/svg';

/**
 * SEC-1: draws an enrolment's QR code as inline SVG from the path the server made (a `d` attribute, never markup):
 * no image is fetched from anywhere.
 */
export function qrSvg(qr: { size: number; path: string }, label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${qr.size} ${qr.size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(qr.size));
  background.setAttribute('height', String(qr.size));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', qr.path);
  modules.setAttribute('fill', '#000');
  modules.setAttribute('shape-rendering', 'crispEdges');
  svg.append(background, modules);
  return svg;
}
