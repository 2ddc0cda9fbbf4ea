// Builds elements without ever parsing markup: every text goes in as text, so a comment or a store
// name can never become HTML.
const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// h('p', {class: 'x'}, 'text', child, ...): an HTML element.
export function h(tag, attributes, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

// s('rect', {x: 1}, ...): an SVG element.
export function s(tag, attributes, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attributes, children);
}

// A titled card: the heading, a sentence saying how to read it, then the content.
export function card(title, explain, ...content) {
  return h('section', {class: 'card'}, h('h2', {text: title}),
           explain ? h('p', {class: 'explain', text: explain}) : null, ...content);
}

export function replace(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}
