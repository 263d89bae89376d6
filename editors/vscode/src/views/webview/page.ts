// What both webview pages share: the VS Code page API, element lookup, and SVG elements built from
// attributes with a tooltip (text is set as text, never parsed as markup).
interface PageApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): PageApi;

export function pageApi(): PageApi {
  return acquireVsCodeApi();
}

export function element<T extends Element = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as unknown as T;
}

export function svgElement(tag: string, attributes: Record<string, string | number>, title: string): SVGElement {
  const created = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  const tooltip = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  tooltip.textContent = title;
  created.append(tooltip);
  return created;
}
