// The linkage's words: the leading figures (needs and intent) and the outcomes as a manager
// reads them.
import {needName} from './format.js';

const OUTCOME_NAMES = {
  sales: 'Sales',
  transactions: 'Transactions',
  footfall: 'Footfall',
  conversion: 'Conversion',
  sales_per_visitor: 'Sales per visitor',
  returns: 'Returns',
  complaints: 'Complaints',
};

// The standard outcomes first, in this order; any other metric after them, by name.
const ORDER = ['sales', 'transactions', 'footfall', 'conversion', 'sales_per_visitor'];
export function byOutcomeOrder(a, b) {
  const rank = (id) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function outcomeName(id) {
  return OUTCOME_NAMES[id] || id.charAt(0).toUpperCase() + id.slice(1).replace(/_/g, ' ');
}

export function leadingName(id) {
  return id === 'intent' ? 'Would come back (net score)' : needName(id);
}

// The short form for a sentence: "trust → sales".
export function shortName(id) {
  return id === 'intent' ? 'would come back' : outcomeName(id).toLowerCase();
}
