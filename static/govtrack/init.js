// Loaded as <script type="module">, so it only runs in browsers that support
// ES modules: the same test GOV.UK Frontend's inline template snippet makes.
// Adding the classes here keeps inline scripts out of the page (strict CSP).
import { initAll } from './govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

const narrow = window.matchMedia('(max-width: 40.0525em)');

// Each wide table scrolls inside its own region, labelled by its caption (or the heading before
// it), and focusable while it scrolls so it can be scrolled from the keyboard (WCAG 1.4.10, 2.1.1).
function labelFor(table) {
  const caption = table.querySelector('caption');
  if (caption && caption.textContent.trim()) return caption.textContent.trim();
  if (table.getAttribute('aria-label')) return table.getAttribute('aria-label');
  let node = table.previousElementSibling;
  while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
  return node ? node.textContent.trim() : document.title;
}

function markScrolling(region) {
  if (region.scrollWidth > region.clientWidth) {
    region.setAttribute('tabindex', '0');
  } else {
    region.removeAttribute('tabindex');
  }
}

const regions = [];
document.querySelectorAll('table.govuk-table').forEach((table) => {
  let region = table.parentElement;
  if (!region.classList.contains('gt-table-scroll')) {
    region = document.createElement('div');
    region.className = 'gt-table-scroll';
    table.parentNode.insertBefore(region, table);
    region.appendChild(table);
  }
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', labelFor(table));
  regions.push(region);
  markScrolling(region);
});
// Fonts, images and a narrower window change whether a region scrolls: check again when they do.
const observer = 'ResizeObserver' in window ? new ResizeObserver(() => regions.forEach(markScrolling)) : null;
regions.forEach((region) => { if (observer) { observer.observe(region); observer.observe(region.firstElementChild); } });
window.addEventListener('resize', () => regions.forEach(markScrolling));
window.addEventListener('load', () => regions.forEach(markScrolling));

// Filters fold away behind a button on narrow screens; the button's words come from the page
// (data-show-label / data-hide-label), so they are translated with the page.
document.querySelectorAll('[data-gt-filters]').forEach((filters, index) => {
  if (!filters.id) filters.id = `gt-filters-${index}`;
  filters.classList.add('gt-filters');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'govuk-button govuk-button--secondary gt-filters-toggle';
  button.setAttribute('aria-controls', filters.id);
  const show = filters.dataset.showLabel || 'Show filters';
  const hide = filters.dataset.hideLabel || 'Hide filters';
  const set = (collapsed) => {
    filters.dataset.collapsed = collapsed ? 'true' : 'false';
    button.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
    button.textContent = collapsed ? show : hide;
  };
  button.addEventListener('click', () => set(filters.dataset.collapsed !== 'true'));
  filters.parentNode.insertBefore(button, filters);
  // Filters in use stay open, so a person sees what narrows the list.
  const inUse = new URLSearchParams(window.location.search).toString().replace(/(^|&)page=\d+/, '') !== '';
  set(narrow.matches && !inUse);
});
