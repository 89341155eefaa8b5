// Loaded as <script type="module">, so it only runs in browsers that support
// ES modules: the same test GOV.UK Frontend's inline template snippet makes.
// Adding the classes here keeps inline scripts out of the page (strict CSP).
import { initAll } from './govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
